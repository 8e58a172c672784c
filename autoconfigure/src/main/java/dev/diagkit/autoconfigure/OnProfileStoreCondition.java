package dev.diagkit.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when continuous profiles are kept in the local store: when
 * {@code diagkit.profiling.export.directory.enabled} says so, or, when it is not set, when no
 * Pyroscope URL is (the store is the embedded default).
 */
class OnProfileStoreCondition extends SpringBootCondition {

	private static final String ENABLED = "diagkit.profiling.export.directory.enabled";

	private static final String PYROSCOPE_URL = "diagkit.profiling.export.pyroscope.url";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Environment environment = context.getEnvironment();
		Boolean enabled = environment.getProperty(ENABLED, Boolean.class);
		if (enabled != null) {
			return enabled ? ConditionOutcome.match(ENABLED + " is true")
					: ConditionOutcome.noMatch(ENABLED + " is false");
		}
		return StringUtils.hasText(environment.getProperty(PYROSCOPE_URL))
				? ConditionOutcome.noMatch(PYROSCOPE_URL + " is set and " + ENABLED + " is not")
				: ConditionOutcome.match("no remote sink is configured");
	}

}
