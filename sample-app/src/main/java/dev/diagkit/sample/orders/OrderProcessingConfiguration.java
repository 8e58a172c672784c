package dev.diagkit.sample.orders;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.diagkit.propagation.LabeledJob;
import dev.diagkit.propagation.LabeledJobConsumer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The background side of order processing: {@code @Async} and {@code @Scheduled} methods
 * (turned on here, in the application, not by diagkit), and the fulfilment queue with its
 * consumer.
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
@EnableScheduling
public class OrderProcessingConfiguration {

	static final int FULFILMENT_QUEUE_CAPACITY = 1000;

	@Bean
	BlockingQueue<LabeledJob> fulfilmentQueue() {
		return new LinkedBlockingQueue<>(FULFILMENT_QUEUE_CAPACITY);
	}

	@Bean(destroyMethod = "close")
	LabeledJobConsumer fulfilmentConsumer(BlockingQueue<LabeledJob> fulfilmentQueue) {
		return LabeledJobConsumer.start("fulfilment", fulfilmentQueue);
	}

}
