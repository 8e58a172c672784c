package dev.diagkit.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when diagkit is enabled ({@code diagkit.enabled}, true when not set) and so is
 * every capability named ({@code diagkit.<capability>.enabled}, true when not set): the one
 * switch every diagkit auto-configuration shares, as Spring Boot's
 * {@code @ConditionalOnEnabledHealthIndicator} is for health indicators.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnDiagkitEnabledCondition.class)
@interface ConditionalOnDiagkitEnabled {

	/**
	 * The capabilities that must be enabled too, such as {@code labels} or
	 * {@code labels.request}.
	 * @return the capabilities
	 */
	String[] value() default {};

}
