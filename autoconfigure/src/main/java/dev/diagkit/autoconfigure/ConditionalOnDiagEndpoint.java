package dev.diagkit.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagSectionHandler;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;

/**
 * Matches when the {@code /actuator/diag} endpoint exists: what a capability's
 * {@link DiagSectionHandler} beans need. The capability's auto-configuration must come after
 * {@link DiagkitEndpointAutoConfiguration}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint")
@ConditionalOnBean(DiagEndpoint.class)
@interface ConditionalOnDiagEndpoint {

}
