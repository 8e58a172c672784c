package dev.diagkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnDiagkitEnabled}: a switch is on when it is not set
 * or set to {@code true}, as with {@code @ConditionalOnBooleanProperty(matchIfMissing = true)};
 * the first switch that is off names itself in the condition report.
 */
class OnDiagkitEnabledCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, @Nullable Object> attributes = metadata
			.getAnnotationAttributes(ConditionalOnDiagkitEnabled.class.getName());
		List<String> switches = new ArrayList<>();
		switches.add("diagkit.enabled");
		if (attributes != null && attributes.get("value") instanceof String[] capabilities) {
			for (String capability : capabilities) {
				switches.add("diagkit." + capability + ".enabled");
			}
		}
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnDiagkitEnabled.class);
		Environment environment = context.getEnvironment();
		for (String name : switches) {
			// as @ConditionalOnBooleanProperty(matchIfMissing = true): on when missing or "true"
			String value = environment.getProperty(name);
			if (value != null && !"true".equalsIgnoreCase(value)) {
				return ConditionOutcome.noMatch(message.because(name + " is '" + value + "'"));
			}
		}
		return ConditionOutcome.match(message.because(String.join(", ", switches) + " true or not set"));
	}

}
