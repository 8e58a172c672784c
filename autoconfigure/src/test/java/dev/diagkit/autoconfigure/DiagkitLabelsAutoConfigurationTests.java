package dev.diagkit.autoconfigure;

import java.time.Duration;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.MdcLabelMirror;
import dev.diagkit.labels.ProfilingLabels;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class DiagkitLabelsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class));

	@Test
	void providesPolicyAndRegistryFromProperties() {
		this.contextRunner
			.withPropertyValues("diagkit.labels.policy.max-values-per-key=2", "diagkit.labels.stale-after=30s",
					"diagkit.labels.policy.denied-keys=customer", "diagkit.labels.policy.value-ttl=90s")
			.run((context) -> {
				LabelPolicy policy = context.getBean(LabelPolicy.class);
				assertThat(policy.maxValuesPerKey()).isEqualTo(2);
				assertThat(policy.valueTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(policy.apply(LabelSet.of("customer", "c", "user_id", "u")).asMap()).containsOnlyKeys("user_id");
				assertThat(context.getBean(LabelRegistry.class).staleAfter()).isEqualTo(Duration.ofSeconds(30));
				assertThat(context).doesNotHaveBean(MdcLabelMirror.class);
			});
	}

	@Test
	void backsOffWhenDiagkitIsDisabled() {
		this.contextRunner.withPropertyValues("diagkit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LabelPolicy.class).doesNotHaveBean(LabelRegistry.class));
	}

	@Test
	void theSwitchIsOnOnlyWhenMissingOrTrueAsBootsBooleanConditions() {
		for (String off : new String[] { "diagkit.enabled=", "diagkit.enabled=no", "diagkit.enabled=0",
				"diagkit.labels.enabled=off" }) {
			this.contextRunner.withPropertyValues(off)
				.run((context) -> assertThat(context).as(off).hasNotFailed().doesNotHaveBean(LabelPolicy.class));
		}
		this.contextRunner.withPropertyValues("diagkit.enabled=TRUE", "diagkit.labels.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(LabelPolicy.class));
	}

	@Test
	void backsOffWhenLabelsAreDisabled() {
		this.contextRunner.withPropertyValues("diagkit.labels.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LabelPolicy.class).doesNotHaveBean(LabelRegistry.class));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context.getBean(LabelPolicy.class)).isSameAs(context.getBean(UserBeans.class).policy);
			assertThat(context.getBean(LabelRegistry.class).staleAfter()).isEqualTo(Duration.ofSeconds(1));
		});
	}

	@Test
	void mirrorsIntoMdcWhenAskedAndStopsWithTheContext() {
		this.contextRunner.withPropertyValues("diagkit.labels.mdc=true").run((context) -> {
			assertThat(context).hasSingleBean(MdcLabelMirror.class);
			ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> assertThat(MDC.get("tenant")).isEqualTo("acme"));
			context.close();
			ProfilingLabels.run(LabelSet.of("tenant", "acme"), () -> assertThat(MDC.get("tenant")).isNull());
		});
	}

	@Test
	void mdcMirrorBacksOffWithoutSlf4j() {
		this.contextRunner.withPropertyValues("diagkit.labels.mdc=true")
			.withClassLoader(new FilteredClassLoader(MDC.class))
			.run((context) -> assertThat(context).hasSingleBean(LabelPolicy.class).doesNotHaveBean(MdcLabelMirror.class));
	}

	@Test
	void labelClockThreadDoesNotOutliveTheContext() {
		this.contextRunner.run((context) -> {
			assertThat(clockThreadAlive()).isTrue();
			context.close();
			assertThat(clockThreadAlive()).isFalse();
		});
	}

	private static boolean clockThreadAlive() {
		return Thread.getAllStackTraces().keySet().stream()
			.anyMatch((t) -> t.getName().equals("diagkit-label-clock") && t.isAlive());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final LabelPolicy policy = LabelPolicy.builder().maxValuesPerKey(5).build();

		@Bean
		LabelPolicy userPolicy() {
			return this.policy;
		}

		@Bean
		LabelRegistry userRegistry() {
			return new LabelRegistry(Duration.ofSeconds(1));
		}

	}

}
