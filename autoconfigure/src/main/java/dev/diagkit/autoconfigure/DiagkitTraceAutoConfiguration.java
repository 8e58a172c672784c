package dev.diagkit.autoconfigure;

import dev.diagkit.runtime.QueueWaitRecorder;
import dev.diagkit.trace.QueueWaitEvents;
import dev.diagkit.trace.TraceRequestTasks;
import dev.diagkit.web.RequestTasks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of execution-trace annotations: each web request runs as a
 * {@link dev.diagkit.trace.DiagTask} that the request-labelling filters start, and the queue
 * waits of the executors diagkit times are written into traces.
 */
@AutoConfiguration
@ConditionalOnDiagkitEnabled("trace")
@EnableConfigurationProperties(DiagkitTraceProperties.class)
public final class DiagkitTraceAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "diagkit.trace.request-tasks", matchIfMissing = true)
	RequestTasks diagkitRequestTasks() {
		return new TraceRequestTasks();
	}

	@Bean
	SmartInitializingSingleton diagkitQueueWaitEvents(ObjectProvider<QueueWaitRecorder> queueWaits) {
		return () -> queueWaits.ifAvailable(QueueWaitEvents::observe);
	}

}
