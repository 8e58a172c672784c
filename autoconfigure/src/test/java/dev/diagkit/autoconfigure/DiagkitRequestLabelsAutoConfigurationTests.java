package dev.diagkit.autoconfigure;

import dev.diagkit.web.RequestLabeler;
import dev.diagkit.web.RequestLabelsFilter;
import dev.diagkit.web.TenantResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

class DiagkitRequestLabelsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
				DiagkitRequestLabelsAutoConfiguration.class));

	@Test
	void registersFilterInterceptorAndHeaderTenantResolver() {
		this.contextRunner.withPropertyValues("diagkit.labels.request.tenant-header=X-Org").run((context) -> {
			assertThat(context).hasSingleBean(RequestLabeler.class).hasBean("diagkitEndpointLabelsConfigurer");
			FilterRegistrationBean<?> registration = context.getBean("diagkitRequestLabelsFilter",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(RequestLabelsFilter.class);
			assertThat(registration.getOrder()).isEqualTo(DiagkitRequestLabelsAutoConfiguration.FILTER_ORDER);
			MockHttpServletRequest request = new MockHttpServletRequest();
			request.addHeader("X-Org", "acme");
			assertThat(context.getBean(TenantResolver.class).resolveTenant(request)).isEqualTo("acme");
		});
	}

	@Test
	void backsOffOutsideServletApplications() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DiagkitLabelsAutoConfiguration.class,
					DiagkitRequestLabelsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RequestLabeler.class));
	}

	@Test
	void backsOffWithoutSpringMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(RequestLabeler.class)
				.doesNotHaveBean(WebMvcConfigurer.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("diagkit.labels.request.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestLabeler.class)
				.doesNotHaveBean("diagkitRequestLabelsFilter"));
		this.contextRunner.withPropertyValues("diagkit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestLabeler.class));
		this.contextRunner.withPropertyValues("diagkit.labels.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RequestLabeler.class));
	}

	@Test
	void userTenantResolverWins() {
		this.contextRunner.withUserConfiguration(UserResolver.class).run((context) -> {
			assertThat(context).hasSingleBean(TenantResolver.class);
			assertThat(context.getBean(TenantResolver.class).resolveTenant(new MockHttpServletRequest()))
				.isEqualTo("from-principal");
		});
	}

	@Test
	void userFilterRegistrationWins() {
		this.contextRunner.withUserConfiguration(UserFilter.class).run((context) -> assertThat(
				context.getBean("diagkitRequestLabelsFilter", FilterRegistrationBean.class).getOrder())
			.isEqualTo(42));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserResolver {

		@Bean
		TenantResolver principalTenantResolver() {
			return (request) -> "from-principal";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilter {

		@Bean
		FilterRegistrationBean<RequestLabelsFilter> diagkitRequestLabelsFilter(RequestLabeler labeler) {
			FilterRegistrationBean<RequestLabelsFilter> registration = new FilterRegistrationBean<>(
					new RequestLabelsFilter(labeler));
			registration.setOrder(42);
			return registration;
		}

	}

}
