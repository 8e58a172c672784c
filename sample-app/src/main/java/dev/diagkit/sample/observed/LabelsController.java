package dev.diagkit.sample.observed;

import java.util.List;
import java.util.Map;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.ThreadLabels;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /labels}: which labels the application's threads carry right now, how many
 * values the label policy turned away, and what the sample's background work last ran
 * under. A sample-only view; diagkit's own surface will be {@code /actuator/diag/labels}.
 * Answers with empty counts when diagkit's labels are turned off.
 */
@RestController
public class LabelsController {

	private final ObjectProvider<LabelRegistry> registry;

	private final ObjectProvider<LabelPolicy> policy;

	private final LabelObservations observations;

	/**
	 * Creates the controller.
	 * @param registry diagkit's view of every thread's labels, if labels are on
	 * @param policy diagkit's label policy, if labels are on
	 * @param observations what the sample's work ran under
	 */
	public LabelsController(ObjectProvider<LabelRegistry> registry, ObjectProvider<LabelPolicy> policy,
			LabelObservations observations) {
		this.registry = registry;
		this.policy = policy;
		this.observations = observations;
	}

	/**
	 * Returns the live label activity.
	 * @return the activity
	 */
	@GetMapping("/labels")
	public LabelActivity labels() {
		LabelRegistry labelRegistry = this.registry.getIfAvailable();
		LabelPolicy labelPolicy = this.policy.getIfAvailable();
		List<ThreadLabels> snapshot = (labelRegistry != null) ? labelRegistry.threads() : List.of();
		List<LabelActivity.ThreadView> threads = snapshot.stream()
			.map((thread) -> new LabelActivity.ThreadView(thread.threadName(), thread.labels().asMap(), thread.since()))
			.toList();
		return new LabelActivity(LabelRegistry.activeCounts(snapshot), threads,
				(labelPolicy != null) ? labelPolicy.overflowCounts() : Map.of(), this.observations.latest());
	}

}
