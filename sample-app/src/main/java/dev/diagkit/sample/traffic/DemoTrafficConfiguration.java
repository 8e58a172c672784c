package dev.diagkit.sample.traffic;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Turns the demo traffic generator on when {@code sample.traffic.enabled=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sample.traffic.enabled")
public class DemoTrafficConfiguration {

	@Bean
	DemoTrafficGenerator demoTrafficGenerator(TrafficProperties properties) {
		return new DemoTrafficGenerator(properties);
	}

}
