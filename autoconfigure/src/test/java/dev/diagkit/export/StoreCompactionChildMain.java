package dev.diagkit.export;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Opens the profile store on a directory at a given instant and compacts it, for a test to
 * kill mid-way: {@code <directory> <now in epoch milliseconds>}.
 */
public final class StoreCompactionChildMain {

	private StoreCompactionChildMain() {
	}

	public static void main(String[] args) {
		Clock clock = Clock.fixed(Instant.ofEpochMilli(Long.parseLong(args[1])), ZoneOffset.UTC);
		LocalProfileStore store = new LocalProfileStore(LocalProfileStore.Settings.of(Path.of(args[0])).withClock(clock),
				ExportEvents.NONE);
		store.compact();
		store.close();
	}

}
