package dev.diagkit.labels;

import org.jspecify.annotations.Nullable;

/**
 * Labels in force on one thread until {@link #close()}, which puts back what the thread had
 * before. Returned by {@link ProfilingLabels#replace(LabelSet)} (and, for integrations, by
 * {@link dev.diagkit.labels.spi.LabelScopes}); use it in try-with-resources on the thread that
 * opened it. A scope still open when its owner ends (the task or request it was opened in, or
 * an enclosing scope) is counted as leaked ({@link LeakedScopes}) and closing it later does
 * nothing: the owner has put the thread's labels back already.
 */
public final class LabelScope implements AutoCloseable {

	private final ThreadLabelState state;

	private final Thread owner;

	private final LabelSet previous;

	private final long previousSince;

	private final long previousReplacedAt;

	private final boolean previousInherited;

	private final boolean dropInherited;

	private final String kind;

	private final LabelSet labels;

	/** The scope that was the newest open one on the thread when this one opened. */
	final @Nullable LabelScope outer;

	private boolean closed;

	LabelScope(ThreadLabelState state, Thread owner, boolean dropInherited, String kind, LabelSet labels) {
		this.state = state;
		this.owner = owner;
		this.dropInherited = dropInherited;
		this.kind = kind;
		this.labels = labels;
		this.previous = state.labels();
		this.previousSince = state.sinceNanos;
		this.previousReplacedAt = state.replacedAtNanos;
		this.previousInherited = state.inherited;
		this.outer = state.newestScope;
		state.newestScope = this;
	}

	String kind() {
		return this.kind;
	}

	LabelSet labels() {
		return this.labels;
	}

	/** Marks the scope closed without touching the thread's labels: its owner ended first. */
	void abandon() {
		this.closed = true;
	}

	/**
	 * Returns the labels the thread had before this scope.
	 * @return the previous labels
	 */
	public LabelSet previous() {
		return this.previous;
	}

	/**
	 * Restores the labels the thread had before this scope. Closing twice does nothing.
	 * @throws IllegalStateException if called on another thread than the one that opened
	 * the scope
	 */
	@Override
	public void close() {
		if (Thread.currentThread() != this.owner) {
			throw new IllegalStateException("A LabelScope must be closed on the thread that opened it ('"
					+ this.owner.getName() + "'), not on '" + Thread.currentThread().getName() + "'");
		}
		if (this.closed) {
			return;
		}
		this.closed = true;
		// scopes opened inside this one and still open end with it, as leaks; checked inline,
		// so that closing a scope builds no owner description when none leaked
		if (this.state.newestScope != this) {
			this.state.endOwner(this, "an enclosing " + this.kind + " scope", this.labels);
		}
		this.state.newestScope = this.outer;
		if (this.dropInherited && this.previousInherited) {
			// a thread that only carried its creator's labels runs framework work: it keeps none
			this.state.inherited = false;
			this.state.restore(LabelSet.empty(), LabelClock.now(), 0);
			return;
		}
		this.state.inherited = this.previousInherited;
		this.state.restore(this.previous, this.previousSince, this.previousReplacedAt);
	}

	/**
	 * Returns whether the calling thread opened this scope, so it may close it.
	 * @return whether the current thread owns the scope
	 */
	public boolean isOwnedByCurrentThread() {
		return Thread.currentThread() == this.owner;
	}

}
