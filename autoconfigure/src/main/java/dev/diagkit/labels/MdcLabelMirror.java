package dev.diagkit.labels;

import org.slf4j.MDC;

/**
 * Mirrors every thread's labels into the SLF4J {@link MDC}, so log lines can carry them
 * ({@code %X{tenant}}). Keys that a label change removes are removed from the MDC; other MDC
 * entries are left alone. Costs two MDC writes per label change while installed.
 */
public final class MdcLabelMirror implements AutoCloseable {

	private final LabelListener listener = MdcLabelMirror::mirror;

	private MdcLabelMirror() {
		ThreadLabelState.addListener(this.listener);
	}

	/**
	 * Starts mirroring labels into the MDC of every thread from its next label change on.
	 * @return the mirror; close it to stop
	 */
	public static MdcLabelMirror install() {
		return new MdcLabelMirror();
	}

	private static void mirror(LabelSet from, LabelSet to) {
		from.forEach((key, value) -> {
			if (to.get(key) == null) {
				MDC.remove(key);
			}
		});
		to.forEach((key, value) -> {
			if (!value.equals(from.get(key))) {
				MDC.put(key, value);
			}
		});
	}

	/**
	 * Stops mirroring. Entries already in threads' MDCs stay there; label changes no longer
	 * touch them.
	 */
	@Override
	public void close() {
		ThreadLabelState.removeListener(this.listener);
	}

}
