package dev.diagkit.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.diagkit.export.ExportEvents;
import dev.diagkit.export.LocalProfileStore;
import dev.diagkit.export.SeriesLabels;
import dev.diagkit.runtime.DirectoryLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Default directories of continuous profiling when several instances of one service run on
 * a host: each gets a directory of its own, and the first free one is taken again.
 */
class ContinuousProfilingDirectoriesTests {

	private final SeriesLabels service = new SeriesLabels("directories-test-" + UUID.randomUUID(), Map.of());

	private final Path first = DiagkitContinuousProfilingAutoConfiguration.defaultDirectory("diagkit-profiles-",
			this.service);

	@AfterEach
	void deleteDirectories() throws IOException {
		for (int instance = 1; instance <= DiagkitContinuousProfilingAutoConfiguration.MAX_INSTANCES_PER_HOST; instance++) {
			Path directory = (instance == 1) ? this.first : sibling(instance);
			if (Files.exists(directory)) {
				try (Stream<Path> paths = Files.walk(directory)) {
					for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
						Files.delete(path);
					}
				}
			}
		}
	}

	@Test
	void aSecondInstanceGetsTheNextDirectoryAndAFreedOneIsTakenAgain() throws Exception {
		LocalProfileStore one = open();
		LocalProfileStore two = open();
		try {
			assertThat(one.directory()).isEqualTo(this.first);
			assertThat(two.directory()).isEqualTo(sibling(2));
		}
		finally {
			one.close();
		}
		LocalProfileStore three = open();
		try {
			assertThat(three.directory()).isEqualTo(this.first);
		}
		finally {
			three.close();
			two.close();
		}
	}

	@Test
	void whenEveryDirectoryIsTakenTheErrorSaysSo() throws Exception {
		List<LocalProfileStore> stores = new java.util.ArrayList<>();
		try {
			for (int i = 0; i < DiagkitContinuousProfilingAutoConfiguration.MAX_INSTANCES_PER_HOST; i++) {
				stores.add(open());
			}
			assertThatExceptionOfType(DirectoryLock.DirectoryInUseException.class).isThrownBy(this::open)
				.withMessageContaining("is in use by another")
				.withMessageContaining("give each a directory of its own");
		}
		finally {
			stores.forEach(LocalProfileStore::close);
		}
	}

	private LocalProfileStore open() {
		return DiagkitContinuousProfilingAutoConfiguration.inDefaultDirectory("diagkit-profiles-", this.service,
				(path) -> new LocalProfileStore(LocalProfileStore.Settings.of(path), ExportEvents.NONE));
	}

	private Path sibling(int instance) {
		return this.first.resolveSibling(this.first.getFileName() + "-" + instance);
	}

}
