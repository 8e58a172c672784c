package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagRequestFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Registers the {@link DiagRequestFilter} in whichever context serves the actuator
 * endpoints: the application's own on the main port, the management child context when
 * {@code management.server.port} differs.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnDiagkitEnabled("endpoint")
@ConditionalOnAvailableEndpoint(DiagEndpoint.class)
class DiagkitEndpointFilterConfiguration {

	/** Outside Spring Security's chain, so that its wrappers' errors reach the filter too. */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	@Bean
	FilterRegistrationBean<DiagRequestFilter> diagkitRequestFilter(PathMappedEndpoints endpoints,
			ObjectProvider<ClientRateLimiter> rateLimiter) {
		String path = endpoints.getPath(EndpointId.of("diag"));
		FilterRegistrationBean<DiagRequestFilter> registration = new FilterRegistrationBean<>(
				new DiagRequestFilter((path != null) ? path : "/actuator/diag", rateLimiter.getIfAvailable()));
		registration.setEnabled(path != null);
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

}
