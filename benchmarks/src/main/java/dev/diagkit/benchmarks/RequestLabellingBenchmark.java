package dev.diagkit.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.web.EndpointLabelInterceptor;
import dev.diagkit.web.HandlerRouteResolver;
import dev.diagkit.web.HeaderTenantResolver;
import dev.diagkit.web.RequestLabeler;
import dev.diagkit.web.RequestLabelsFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Cost per request of the labelling filter and interceptor: a request with a tenant header
 * passes through the real {@link RequestLabelsFilter}, and a servlet that runs the real
 * {@link EndpointLabelInterceptor} around a handler that reads the labels. The baseline runs
 * the same request through the same chain without them. The {@code early} variants also
 * find the endpoint as the request enters, through a real {@link RequestMappingHandlerMapping}
 * of a few routes: {@code earlyKnownUri} for a URI seen before, {@code earlyNewUri} for a URI
 * each request has not been seen (a new order id every time), which is a full lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RequestLabellingBenchmark {

	/** How many distinct tenants the requests rotate through. */
	@Param({ "5" })
	public int tenants;

	private LabelRegistry registry;

	private RequestLabelsFilter filter;

	private EndpointLabelInterceptor interceptor;

	private RequestLabelsFilter earlyFilter;

	private GenericWebApplicationContext mvc;

	private long orderId;

	private String[] tenantNames;

	private int next;

	@Setup
	public void setUp() throws ServletException {
		this.registry = new LabelRegistry(Duration.ofMinutes(10));
		RequestLabeler labeler = new RequestLabeler(new HeaderTenantResolver("X-Tenant-ID"), LabelPolicy.defaults(),
				LabelSet.of("env", "bench"), null);
		this.filter = new RequestLabelsFilter(labeler);
		this.filter.init(new org.springframework.mock.web.MockFilterConfig());
		this.interceptor = new EndpointLabelInterceptor(labeler);
		this.mvc = new GenericWebApplicationContext(new MockServletContext());
		AnnotationConfigUtils.registerAnnotationConfigProcessors(this.mvc);
		this.mvc.registerBean(Orders.class);
		this.mvc.registerBean(RequestMappingHandlerMapping.class);
		this.mvc.refresh();
		HandlerMapping mapping = this.mvc.getBean(RequestMappingHandlerMapping.class);
		this.earlyFilter = new RequestLabelsFilter(labeler, new HandlerRouteResolver(() -> List.of(mapping), 1024));
		this.earlyFilter.init(new org.springframework.mock.web.MockFilterConfig());
		this.tenantNames = new String[this.tenants];
		for (int i = 0; i < this.tenants; i++) {
			this.tenantNames[i] = "tenant-" + i;
		}
	}

	@TearDown
	public void tearDown() {
		this.registry.close();
		this.mvc.close();
	}

	@Benchmark
	public void baseline(Blackhole bh) throws Exception {
		MockHttpServletRequest request = request();
		new MockFilterChain(new Handler(bh, null)).doFilter(request, new MockHttpServletResponse());
	}

	@Benchmark
	public void labelled(Blackhole bh) throws Exception {
		MockHttpServletRequest request = request();
		Filter[] filters = { this.filter };
		new MockFilterChain(new Handler(bh, this.interceptor), filters).doFilter(request, new MockHttpServletResponse());
	}

	@Benchmark
	public void earlyKnownUri(Blackhole bh) throws Exception {
		MockHttpServletRequest request = request();
		Filter[] filters = { this.earlyFilter };
		new MockFilterChain(new Handler(bh, this.interceptor), filters).doFilter(request, new MockHttpServletResponse());
	}

	@Benchmark
	public void earlyNewUri(Blackhole bh) throws Exception {
		MockHttpServletRequest request = request("/orders/" + this.orderId++);
		Filter[] filters = { this.earlyFilter };
		new MockFilterChain(new Handler(bh, this.interceptor), filters).doFilter(request, new MockHttpServletResponse());
	}

	private MockHttpServletRequest request() {
		return request("/orders/42");
	}

	private MockHttpServletRequest request(String uri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.addHeader("X-Tenant-ID", this.tenantNames[this.next++ % this.tenantNames.length]);
		request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders/{id}");
		return request;
	}

	/** The routes the early variants look requests up in. */
	@RestController
	public static class Orders {

		@GetMapping("/orders/{id}")
		public String order(@PathVariable String id) {
			return id;
		}

		@PostMapping("/orders")
		public String create() {
			return "created";
		}

		@GetMapping("/ping")
		public String ping() {
			return "pong";
		}

		@GetMapping("/tenants/{tenant}/reports/{report}")
		public String report(@PathVariable String tenant, @PathVariable String report) {
			return report;
		}

	}

	/** Stands in for the DispatcherServlet: interceptor around a handler that reads labels. */
	private static final class Handler extends HttpServlet {

		private final transient Blackhole bh;

		private final transient EndpointLabelInterceptor interceptor;

		Handler(Blackhole bh, EndpointLabelInterceptor interceptor) {
			this.bh = bh;
			this.interceptor = interceptor;
		}

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response)
				throws ServletException, IOException {
			if (this.interceptor != null) {
				this.interceptor.preHandle(request, response, this);
			}
			this.bh.consume(ProfilingLabels.current());
			if (this.interceptor != null) {
				this.interceptor.afterCompletion(request, response, this, null);
			}
		}

	}

}
