package dev.diagkit.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of execution traces, under {@code diagkit.trace}.
 */
@ConfigurationProperties("diagkit.trace")
public class DiagkitTraceProperties {

	/**
	 * Whether every web request runs as a trace task ({@code diagkit.Task}, named by its
	 * endpoint, with the request's labels) that the regions and logs of every thread working
	 * for it name. Costs a few nanoseconds per request while no recording wants task events.
	 */
	private boolean requestTasks = true;

	public boolean isRequestTasks() {
		return this.requestTasks;
	}

	public void setRequestTasks(boolean requestTasks) {
		this.requestTasks = requestTasks;
	}

}
