package dev.diagkit.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/endpoints.md} true: every section has its row in the table and a part of
 * its own.
 */
class EndpointGuideTests {

	@Test
	void everySectionIsInTheEndpointGuide() throws Exception {
		String guide = Files.readString(Path.of("..", "docs", "endpoints.md"));
		for (DiagSection section : DiagSection.values()) {
			assertThat(guide).as(section.path()).contains("| `" + section.path() + "` |")
				.contains("### `" + section.path() + "`");
		}
	}

}
