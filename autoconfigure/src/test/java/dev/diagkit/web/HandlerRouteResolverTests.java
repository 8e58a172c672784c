package dev.diagkit.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Early route lookups against a real {@link RequestMappingHandlerMapping}: the routes the
 * dispatcher would find, a request left as it arrived, and a bounded memory of URIs.
 */
class HandlerRouteResolverTests {

	private GenericWebApplicationContext context;

	private HandlerMapping mapping;

	private final AtomicInteger lookups = new AtomicInteger();

	@BeforeEach
	void mappings() {
		this.context = new GenericWebApplicationContext(new MockServletContext());
		AnnotationConfigUtils.registerAnnotationConfigProcessors(this.context);
		this.context.registerBean(Orders.class);
		this.context.registerBean(RequestMappingHandlerMapping.class);
		this.context.refresh();
		this.mapping = this.context.getBean(RequestMappingHandlerMapping.class);
	}

	@AfterEach
	void close() {
		this.context.close();
	}

	@Test
	void findsTheRouteTemplateAndLeavesTheRequestAsItArrived() {
		HandlerRouteResolver routes = resolver(16);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/42");
		assertThat(routes.route(request)).isEqualTo("/orders/{id}");
		assertThat(request.getAttributeNames().hasMoreElements()).as("attributes left on the request").isFalse();
		assertThat(routes.route(new MockHttpServletRequest("POST", "/orders"))).isEqualTo("/orders");
		assertThat(routes.route(new MockHttpServletRequest("GET", "/nothing/here"))).isEqualTo(RequestLabeler.UNMATCHED);
		// the dispatcher answers 405: no handler serves it
		assertThat(routes.route(new MockHttpServletRequest("DELETE", "/orders"))).isEqualTo(RequestLabeler.UNMATCHED);
	}

	@Test
	void remembersEachUriOnceAndForgetsAMethodsUrisWhenFull() {
		HandlerRouteResolver routes = resolver(4);
		for (int round = 0; round < 3; round++) {
			assertThat(routes.route(new MockHttpServletRequest("GET", "/orders/1"))).isEqualTo("/orders/{id}");
		}
		assertThat(this.lookups).hasValue(1);
		for (int id = 2; id <= 10; id++) {
			routes.route(new MockHttpServletRequest("GET", "/orders/" + id));
		}
		assertThat(routes.size()).isLessThanOrEqualTo(4);
		routes.route(new MockHttpServletRequest("POST", "/orders"));
		assertThat(routes.size()).isLessThanOrEqualTo(5);
	}

	@Test
	void aRequestAMappingRefusesLeavesNothingBehindForTheNext() {
		HandlerRouteResolver routes = resolver(16);
		// a 415 for this request only: the next, valid one must not inherit it
		MockHttpServletRequest refused = new MockHttpServletRequest("POST", "/orders/import");
		refused.setContentType("text/plain");
		refused.setContent("42".getBytes());
		assertThat(routes.route(refused)).isEqualTo(RequestLabeler.UNMATCHED);
		MockHttpServletRequest valid = new MockHttpServletRequest("POST", "/orders/import");
		valid.setContentType("application/json");
		valid.setContent("[42]".getBytes());
		assertThat(routes.route(valid)).isEqualTo("/orders/import");
	}

	@Test
	void whatClientsCanVaryAtWillIsLookedUpEveryTime() {
		HandlerRouteResolver routes = resolver(16);
		String longUri = "/orders/" + "7".repeat(HandlerRouteResolver.MAX_REMEMBERED_URI_LENGTH);
		String[][] requests = { { "GET", "/nothing/here" }, { "GET", "/files/a/b.txt" }, { "GET", longUri } };
		for (String[] request : requests) {
			for (int round = 0; round < 2; round++) {
				routes.route(new MockHttpServletRequest(request[0], request[1]));
			}
		}
		assertThat(this.lookups).hasValue(6);
		assertThat(routes.size()).isZero();
		assertThat(routes.route(new MockHttpServletRequest("GET", "/files/a/b.txt"))).isEqualTo("/files/**");
	}

	@Test
	void withoutMappingsYetItCannotTellAndAsksAgainLater() {
		AtomicInteger asked = new AtomicInteger();
		HandlerRouteResolver routes = new HandlerRouteResolver(() -> (asked.incrementAndGet() < 2) ? List.of()
				: List.of(this.mapping), 16);
		assertThat(routes.route(new MockHttpServletRequest("GET", "/orders/1"))).isNull();
		assertThat(routes.route(new MockHttpServletRequest("GET", "/orders/1"))).isEqualTo("/orders/{id}");
	}

	@Test
	void rejectsANonPositiveBound() {
		assertThatIllegalArgumentException().isThrownBy(() -> resolver(0)).withMessageContaining("at least 1");
	}

	private HandlerRouteResolver resolver(int maxPerMethod) {
		HandlerMapping counting = (request) -> {
			this.lookups.incrementAndGet();
			return this.mapping.getHandler(request);
		};
		return new HandlerRouteResolver(() -> List.of(counting), maxPerMethod);
	}

	@RestController
	static class Orders {

		@GetMapping("/orders/{id}")
		String order(@PathVariable String id) {
			return id;
		}

		@PostMapping("/orders")
		String create() {
			return "created";
		}

		@PostMapping(path = "/orders/import", consumes = "application/json")
		String importOrders(@RequestBody String orders) {
			return orders;
		}

		@GetMapping("/files/**")
		String file() {
			return "file";
		}

	}

}
