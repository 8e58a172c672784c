package dev.diagkit.labels;

/**
 * Told of every change of a thread's labels, on that thread. Implementations run on the
 * hottest path of diagkit and must be cheap and never throw.
 */
interface LabelListener {

	/**
	 * Called after the current thread's labels changed.
	 * @param from the labels before
	 * @param to the labels now
	 */
	void changed(LabelSet from, LabelSet to);

}
