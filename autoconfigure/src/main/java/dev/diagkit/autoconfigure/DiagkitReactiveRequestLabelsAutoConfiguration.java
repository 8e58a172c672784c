package dev.diagkit.autoconfigure;

import java.util.List;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.web.ReactiveAuthenticatedTenantFilter;
import dev.diagkit.web.ReactiveHeaderTenantResolver;
import dev.diagkit.web.ReactiveRequestLabelsFilter;
import dev.diagkit.web.ReactiveTenantResolver;
import dev.diagkit.web.RequestLabelSets;
import dev.diagkit.web.RequestTasks;
import dev.diagkit.web.TenantValues;
import io.micrometer.context.ContextRegistry;
import reactor.core.publisher.Hooks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.WebFilter;

/**
 * Auto-configuration of request labelling for WebFlux: a {@link WebFilter} that labels every
 * request with {@code method}, {@code tenant} and {@code endpoint} (and one after Spring
 * Security that finds a tenant needing the principal), carried through Reactor
 * operators by context-propagation, which it switches to automatic mode
 * ({@link Hooks#enableAutomaticContextPropagation()}) unless
 * {@code diagkit.labels.request.reactor-context-propagation=false}.
 */
@AutoConfiguration(after = DiagkitLabelsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebFilter.class, DispatcherHandler.class, Hooks.class, ContextRegistry.class })
@ConditionalOnDiagkitEnabled({ "labels", "labels.request" })
@EnableConfigurationProperties({ DiagkitLabelsProperties.class, DiagkitRequestLabelsProperties.class })
@ConditionalOnBean(LabelPolicy.class)
public final class DiagkitReactiveRequestLabelsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveTenantResolver diagkitReactiveTenantResolver(DiagkitRequestLabelsProperties properties) {
		return new ReactiveHeaderTenantResolver(properties.getTenantHeader(),
				properties.isTenantRequiresAuthentication());
	}

	@Bean
	@ConditionalOnMissingBean
	RequestLabelSets diagkitRequestLabelSets(LabelPolicy policy, DiagkitLabelsProperties labels,
			DiagkitRequestLabelsProperties request) {
		return new RequestLabelSets(policy, labels.staticLabelSet(), request.getDefaultTenant(),
				TenantValues.of(request.getTenantValues()));
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveAuthenticatedTenantFilter diagkitReactiveAuthenticatedTenantFilter(RequestLabelSets sets,
			ReactiveTenantResolver tenants) {
		return new ReactiveAuthenticatedTenantFilter(sets, tenants);
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveRequestLabelsFilter diagkitReactiveRequestLabelsFilter(RequestLabelSets sets,
			ReactiveTenantResolver tenants, ObjectProvider<DispatcherHandler> dispatcher,
			ObjectProvider<RequestTasks> tasks) {
		ReactiveRequestLabelsFilter filter = new ReactiveRequestLabelsFilter(sets, tenants, () -> {
			DispatcherHandler handler = dispatcher.getIfAvailable();
			List<HandlerMapping> mappings = (handler != null) ? handler.getHandlerMappings() : null;
			return (mappings != null) ? mappings : List.of();
		});
		tasks.ifAvailable(filter::setRequestTasks);
		return filter;
	}

	@Bean
	@ConditionalOnBooleanProperty(name = "diagkit.labels.request.reactor-context-propagation", matchIfMissing = true)
	static ReactorContextPropagation diagkitReactorContextPropagation() {
		return new ReactorContextPropagation();
	}

	/**
	 * Switches Reactor to automatic context propagation as the context starts: without it,
	 * labels in the Reactor context reach code on scheduler threads only where an operator
	 * restores them.
	 */
	static final class ReactorContextPropagation {

		ReactorContextPropagation() {
			Hooks.enableAutomaticContextPropagation();
		}

	}

}
