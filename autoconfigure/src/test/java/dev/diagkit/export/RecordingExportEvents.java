package dev.diagkit.export;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the upload results and drop counts a sink reports.
 */
final class RecordingExportEvents implements ExportEvents {

	private final List<String> uploads = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicLong> dropped = new ConcurrentHashMap<>();

	@Override
	public void upload(String sink, String result, Duration took) {
		this.uploads.add(sink + ":" + result);
	}

	@Override
	public void dropped(String reason, long count) {
		this.dropped.computeIfAbsent(reason, (r) -> new AtomicLong()).addAndGet(count);
	}

	/** How many uploads of the pyroscope sink had this result. */
	long uploads(String result) {
		return this.uploads.stream().filter(("pyroscope:" + result)::equals).count();
	}

	long dropped(String reason) {
		AtomicLong count = this.dropped.get(reason);
		return (count != null) ? count.get() : 0;
	}

	Map<String, Long> allDropped() {
		Map<String, Long> all = new TreeMap<>();
		this.dropped.forEach((reason, count) -> all.put(reason, count.get()));
		return all;
	}

}
