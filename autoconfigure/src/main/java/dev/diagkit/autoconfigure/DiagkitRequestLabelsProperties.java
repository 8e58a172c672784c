package dev.diagkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.diagkit.web.TenantValues;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Configuration properties of request labelling, under {@code diagkit.labels.request}.
 */
@ConfigurationProperties("diagkit.labels.request")
public class DiagkitRequestLabelsProperties implements Validator {

	/**
	 * Header the default tenant resolver reads the tenant from.
	 */
	private String tenantHeader = "X-Tenant-ID";

	/**
	 * Tenant label of requests that name no tenant; without it such requests get no tenant
	 * label.
	 */
	private @Nullable String defaultTenant;

	/**
	 * Tenants admitted by name: exact values, or regular expressions a whole value must
	 * match. Exact values are always labelled by name; values matching an expression count
	 * against the label policy's distinct-value limit; other values become the overflow
	 * value. Empty admits every value (subject to the label policy).
	 */
	private List<String> tenantValues = new ArrayList<>();

	/**
	 * Whether to take the tenant only from authenticated requests: the tenant is resolved
	 * once the security filters have run, and requests without a principal get no tenant
	 * label, so unauthenticated clients cannot fill the tenant's distinct values.
	 */
	private boolean tenantRequiresAuthentication;

	/**
	 * Whether to find a request's endpoint (its route template) as it enters the filter
	 * chain, by asking the handler mappings, so that the filters after diagkit's (Spring
	 * Security's authentication among them) run under the endpoint label too. When off, the
	 * endpoint label starts once the handler is chosen.
	 */
	private boolean earlyEndpoint = true;

	/**
	 * Most request URIs whose route is remembered per HTTP method for the early endpoint
	 * (1 to 65536); when full, the remembered routes of that method are forgotten at once.
	 */
	private int routeCacheSize = 1024;

	/**
	 * Whether to switch Reactor to automatic context propagation in a WebFlux application,
	 * so that code on any scheduler thread runs under its request's labels. Off leaves it to
	 * {@code spring.reactor.context-propagation}: labels then reach only the operators that
	 * restore the context.
	 */
	private boolean reactorContextPropagation = true;

	public String getTenantHeader() {
		return this.tenantHeader;
	}

	public void setTenantHeader(String tenantHeader) {
		this.tenantHeader = tenantHeader;
	}

	public @Nullable String getDefaultTenant() {
		return this.defaultTenant;
	}

	public void setDefaultTenant(@Nullable String defaultTenant) {
		this.defaultTenant = defaultTenant;
	}

	public List<String> getTenantValues() {
		return this.tenantValues;
	}

	public void setTenantValues(List<String> tenantValues) {
		this.tenantValues = tenantValues;
	}

	public boolean isTenantRequiresAuthentication() {
		return this.tenantRequiresAuthentication;
	}

	public void setTenantRequiresAuthentication(boolean tenantRequiresAuthentication) {
		this.tenantRequiresAuthentication = tenantRequiresAuthentication;
	}

	public boolean isEarlyEndpoint() {
		return this.earlyEndpoint;
	}

	public void setEarlyEndpoint(boolean earlyEndpoint) {
		this.earlyEndpoint = earlyEndpoint;
	}

	public int getRouteCacheSize() {
		return this.routeCacheSize;
	}

	public void setRouteCacheSize(int routeCacheSize) {
		this.routeCacheSize = routeCacheSize;
	}

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitRequestLabelsProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		DiagkitRequestLabelsProperties properties = (DiagkitRequestLabelsProperties) target;
		PropertyChecks checks = new PropertyChecks(errors);
		checks.hasText("tenantHeader", properties.getTenantHeader());
		checks.parses("tenantValues", properties.getTenantValues(), TenantValues::of);
		checks.between("routeCacheSize", properties.getRouteCacheSize(), 1, 65_536);
	}

	public boolean isReactorContextPropagation() {
		return this.reactorContextPropagation;
	}

	public void setReactorContextPropagation(boolean reactorContextPropagation) {
		this.reactorContextPropagation = reactorContextPropagation;
	}

}
