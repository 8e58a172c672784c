package dev.diagkit.autoconfigure;

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

	@Override
	public boolean supports(Class<?> type) {
		return DiagkitRequestLabelsProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		new PropertyChecks(errors).hasText("tenantHeader", ((DiagkitRequestLabelsProperties) target).getTenantHeader());
	}

}
