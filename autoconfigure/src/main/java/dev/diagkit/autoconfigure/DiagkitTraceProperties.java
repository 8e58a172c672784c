package dev.diagkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of execution traces, under {@code diagkit.trace}.
 */
@ConfigurationProperties("diagkit.trace")
public class DiagkitTraceProperties implements Validator {

	/**
	 * Whether every web request runs as a trace task ({@code diagkit.Task}, named by its
	 * endpoint, with the request's labels) that the regions and logs of every thread working
	 * for it name. Costs a few nanoseconds per request while no recording wants task events.
	 */
	private boolean requestTasks = true;

	private final MethodTiming methodTiming = new MethodTiming();

	private final Analysis analysis = new Analysis();

	public boolean isRequestTasks() {
		return this.requestTasks;
	}

	public void setRequestTasks(boolean requestTasks) {
		this.requestTasks = requestTasks;
	}

	public MethodTiming getMethodTiming() {
		return this.methodTiming;
	}

	public Analysis getAnalysis() {
		return this.analysis;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitTraceProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitTraceProperties properties = (DiagkitTraceProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.between("methodTiming.maxMethods", properties.getMethodTiming().getMaxMethods(), 1, 100);
		double share = properties.getAnalysis().getUnaccountedShare();
		if (!(share > 0 && share <= 1)) {
			checks.reject("analysis.unaccountedShare", "must be more than 0 and at most 1, was " + share);
		}
		for (String name : properties.getMethodTiming().getAllowedPackages()) {
			if (name.isBlank() || name.startsWith(".") || name.endsWith(".")) {
				checks.reject("methodTiming.allowedPackages", "must be package names such as com.acme, was '" + name + "'");
			}
		}
	}

	/**
	 * Methods a trace times on JDK 25 and later ({@code /actuator/diag/trace?methods=…}).
	 */
	public static class MethodTiming {

		/**
		 * Packages whose classes' methods a trace may time (their sub-packages too). Empty
		 * means the application's own packages: those of its {@code @SpringBootApplication}
		 * class.
		 */
		private List<String> allowedPackages = new ArrayList<>();

		/**
		 * Most methods one trace may time (1 to 100): each call of each is an event.
		 */
		private int maxMethods = 10;

		public List<String> getAllowedPackages() {
			return this.allowedPackages;
		}

		public void setAllowedPackages(List<String> allowedPackages) {
			this.allowedPackages = allowedPackages;
		}

		public int getMaxMethods() {
			return this.maxMethods;
		}

		public void setMaxMethods(int maxMethods) {
			this.maxMethods = maxMethods;
		}

	}

	/**
	 * What the analysis of a trace ({@code /actuator/diag/analysis}) reports.
	 */
	public static class Analysis {

		/**
		 * Share of a task's time spent outside any of its regions from which the task is
		 * reported as mostly unaccounted (more than 0, at most 1). Only tasks with at least
		 * one region count.
		 */
		private double unaccountedShare = 0.8;

		/**
		 * Whether JDK Mission Control's automated analysis rules run too, when
		 * {@code org.openjdk.jmc:flightrecorder.rules.jdk} is on the class path: their results
		 * join the findings with ids {@code jmc.<rule>}.
		 */
		private boolean jmcRules = true;

		public boolean isJmcRules() {
			return this.jmcRules;
		}

		public void setJmcRules(boolean jmcRules) {
			this.jmcRules = jmcRules;
		}

		public double getUnaccountedShare() {
			return this.unaccountedShare;
		}

		public void setUnaccountedShare(double unaccountedShare) {
			this.unaccountedShare = unaccountedShare;
		}

	}

}
