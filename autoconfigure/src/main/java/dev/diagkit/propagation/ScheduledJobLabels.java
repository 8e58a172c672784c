package dev.diagkit.propagation;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.spi.LabelScopes;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.scheduling.support.ScheduledTaskObservationContext;

/**
 * Runs every {@code @Scheduled} method under {@code job=<bean>.<method>} (plus the static
 * labels), by observing Spring's scheduled-task observations: the observation's scope is
 * opened and closed on the thread that runs the method.
 */
public class ScheduledJobLabels implements ObservationHandler<ScheduledTaskObservationContext> {

	/** The label key of a scheduled job. */
	public static final String JOB = "job";

	private final Function<Class<?>, String> beanNames;

	private final LabelPolicy policy;

	private final LabelSet staticLabels;

	private final Map<Method, LabelSet> labelsByMethod = new ConcurrentHashMap<>();

	/**
	 * Creates the handler.
	 * @param beanNames gives the bean name for a target class
	 * @param policy guards the job names
	 * @param staticLabels labels added to every job
	 */
	public ScheduledJobLabels(Function<Class<?>, String> beanNames, LabelPolicy policy, LabelSet staticLabels) {
		this.beanNames = beanNames;
		this.policy = policy;
		this.staticLabels = policy.apply(staticLabels);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ScheduledTaskObservationContext;
	}

	@Override
	public void onScopeOpened(ScheduledTaskObservationContext context) {
		// the handler may be registered twice (the application's registry and ours): once is enough
		if (context.containsKey(LabelScope.class)) {
			return;
		}
		LabelSet labels = this.labelsByMethod.computeIfAbsent(context.getMethod(), (method) -> this.staticLabels
			.with(JOB, this.policy.admitCodeValue(JOB, this.beanNames.apply(context.getTargetClass()) + "." + method.getName())));
		context.put(LabelScope.class, LabelScopes.open(labels));
	}

	@Override
	public void onScopeClosed(ScheduledTaskObservationContext context) {
		// a scope opens and closes on one thread; a reactive job's observation may stop on
		// another, which is why the labels follow the scope and not start/stop
		if (context.get(LabelScope.class) instanceof LabelScope scope && scope.isOwnedByCurrentThread()) {
			context.remove(LabelScope.class);
			scope.close();
		}
	}

}
