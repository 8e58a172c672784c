package dev.diagkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the tracing integration, under {@code diagkit.tracing}. It acts
 * only when Micrometer Tracing runs with a real tracer (a Brave or OpenTelemetry bridge).
 */
@ConfigurationProperties("diagkit.tracing")
public class DiagkitTracingProperties {

	private final SpanLabels spanLabels = new SpanLabels();

	/**
	 * Label keys carried to other services as tracing baggage, such as {@code tenant}: written
	 * on outgoing calls and messages that Spring Boot's observations cover, and taken from the
	 * baggage of incoming requests. Only the keys listed cross; values the label policy
	 * redacts never do.
	 */
	private List<String> baggageLabels = new ArrayList<>();

	/**
	 * Whether an incoming request's baggage wins over what its own headers say (the tenant
	 * header, say). By default a value the request states itself wins.
	 */
	private boolean baggageOverridesHeader;

	public SpanLabels getSpanLabels() {
		return this.spanLabels;
	}

	public List<String> getBaggageLabels() {
		return this.baggageLabels;
	}

	public void setBaggageLabels(List<String> baggageLabels) {
		this.baggageLabels = baggageLabels;
	}

	public boolean isBaggageOverridesHeader() {
		return this.baggageOverridesHeader;
	}

	public void setBaggageOverridesHeader(boolean baggageOverridesHeader) {
		this.baggageOverridesHeader = baggageOverridesHeader;
	}

	/**
	 * Labels that tie profile samples to the span current when they were taken.
	 */
	public static class SpanLabels {

		/**
		 * Whether profile samples carry the {@code span_id} of the local root span and the
		 * {@code trace_id} of the trace current when they were taken, so that a span's or a
		 * trace's samples can be selected (Grafana's traces to profiles,
		 * {@code focus=span_id=…}).
		 */
		private boolean enabled = true;

		/**
		 * Whether samples taken under a local root span (the first span of a trace in this
		 * process) carry its name as {@code span_name}, bounded by the label policy.
		 */
		private boolean spanName = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isSpanName() {
			return this.spanName;
		}

		public void setSpanName(boolean spanName) {
			this.spanName = spanName;
		}

	}

}
