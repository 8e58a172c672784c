package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.ClientRateLimiter;
import dev.diagkit.endpoint.DiagEndpoint;
import dev.diagkit.endpoint.DiagRequestFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
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

	/**
	 * Outside Spring Security's chain, so that its wrappers' errors reach the filter too, and
	 * ahead of the request labels filter, whose early route lookup must see a bodiless
	 * {@code POST} as the empty JSON object the dispatcher will see.
	 */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

	@Bean
	FilterRegistrationBean<DiagRequestFilter> diagkitRequestFilter(PathMappedEndpoints endpoints,
			ObjectProvider<ClientRateLimiter> rateLimiter, Environment environment) {
		String path = endpoints.getPath(EndpointId.of("diag"));
		// the filter sees the path within the application: on the main port that includes the
		// dispatcher servlet's own path; the management server's dispatcher is at its root
		String servletPath = environment.getProperty("spring.mvc.servlet.path", "/");
		String prefix = (ManagementPortType.get(environment) == ManagementPortType.SAME && !"/".equals(servletPath))
				? (servletPath.endsWith("/") ? servletPath.substring(0, servletPath.length() - 1) : servletPath) : "";
		FilterRegistrationBean<DiagRequestFilter> registration = new FilterRegistrationBean<>(new DiagRequestFilter(
				prefix + ((path != null) ? path : "/actuator/diag"), rateLimiter.getIfAvailable()));
		registration.setEnabled(path != null);
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

}
