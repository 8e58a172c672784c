package dev.diagkit.autoconfigure;

import dev.diagkit.autoconfigure.ExecutorDecorationPostProcessor.HandBuiltExecutorLabels;
import dev.diagkit.runtime.QueueWaitRecorder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The one post-processor that decorates executor beans, imported by every capability that
 * contributes to the decoration (label propagation, queue-wait timing): whichever of them is
 * on, executors get a single composed decorator.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(ThreadPoolTaskExecutor.class)
class ExecutorDecorationConfiguration {

	@Bean
	static ExecutorDecorationPostProcessor diagkitExecutorDecorationPostProcessor(
			ObjectProvider<HandBuiltExecutorLabels> labels, ObjectProvider<QueueWaitRecorder> queueWaits) {
		return new ExecutorDecorationPostProcessor(labels, queueWaits);
	}

}
