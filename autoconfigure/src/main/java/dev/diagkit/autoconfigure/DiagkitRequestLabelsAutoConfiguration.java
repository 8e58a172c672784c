package dev.diagkit.autoconfigure;

import java.util.List;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.propagation.LabelBaggage;
import dev.diagkit.web.EndpointLabelInterceptor;
import dev.diagkit.web.HandlerRouteResolver;
import dev.diagkit.web.HeaderTenantResolver;
import dev.diagkit.web.RequestLabeler;
import dev.diagkit.web.RequestLabelsFilter;
import dev.diagkit.web.RequestTasks;
import dev.diagkit.web.TenantResolver;
import dev.diagkit.web.TenantValues;
import dev.diagkit.web.UnmatchedEndpointResolver;
import jakarta.servlet.DispatcherType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

/**
 * Auto-configuration of request labelling for Spring MVC: a filter that labels every request
 * with {@code method}, {@code tenant} and, found through the handler mappings as the request
 * enters, {@code endpoint}; an interceptor that confirms the endpoint once the handler is
 * chosen.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, FilterRegistrationBean.class })
@ConditionalOnDiagkitEnabled({ "labels", "labels.request" })
@EnableConfigurationProperties({ DiagkitLabelsProperties.class, DiagkitRequestLabelsProperties.class })
@ConditionalOnBean(LabelPolicy.class)
public final class DiagkitRequestLabelsAutoConfiguration {

	/** Early, so that security filters and everything after them run labelled. */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	@Bean
	@ConditionalOnMissingBean
	TenantResolver diagkitTenantResolver(DiagkitRequestLabelsProperties properties) {
		return new HeaderTenantResolver(properties.getTenantHeader(), properties.isTenantRequiresAuthentication());
	}

	@Bean
	@ConditionalOnMissingBean
	RequestLabeler diagkitRequestLabeler(TenantResolver tenantResolver, LabelPolicy policy,
			DiagkitLabelsProperties labels, DiagkitRequestLabelsProperties request) {
		return new RequestLabeler(tenantResolver, policy, labels.staticLabelSet(), request.getDefaultTenant(),
				TenantValues.of(request.getTenantValues()));
	}

	@Bean
	@ConditionalOnMissingBean(name = "diagkitRequestLabelsFilter")
	FilterRegistrationBean<RequestLabelsFilter> diagkitRequestLabelsFilter(RequestLabeler labeler,
			DiagkitRequestLabelsProperties properties, ObjectProvider<HandlerMappingIntrospector> introspector,
			ObjectProvider<LabelBaggage> baggage, ObjectProvider<RequestTasks> tasks) {
		HandlerRouteResolver routes = null;
		if (properties.isEarlyEndpoint()) {
			// read on the first request: the introspector finds the mappings once the context is refreshed
			routes = new HandlerRouteResolver(() -> {
				HandlerMappingIntrospector mappings = introspector.getIfAvailable();
				return (mappings != null) ? mappings.getHandlerMappings() : List.of();
			}, properties.getRouteCacheSize());
		}
		RequestLabelsFilter filter = new RequestLabelsFilter(labeler, routes, baggage.getIfAvailable());
		tasks.ifAvailable(filter::setRequestTasks);
		FilterRegistrationBean<RequestLabelsFilter> registration = new FilterRegistrationBean<>(filter);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

	@Bean
	WebMvcConfigurer diagkitEndpointLabelsConfigurer(RequestLabeler labeler, ObjectProvider<LabelBaggage> baggage) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new EndpointLabelInterceptor(labeler, baggage.getIfAvailable())).order(Ordered.HIGHEST_PRECEDENCE);
			}

			@Override
			public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
				resolvers.add(0, new UnmatchedEndpointResolver(labeler));
			}

		};
	}

}
