package dev.diagkit.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.diagkit.labels.LabelPolicy;
import dev.diagkit.labels.LabelRegistry;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import dev.diagkit.web.EndpointLabelInterceptor;
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

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Cost per request of the labelling filter and interceptor: a request with a tenant header
 * passes through the real {@link RequestLabelsFilter}, and a servlet that runs the real
 * {@link EndpointLabelInterceptor} around a handler that reads the labels. The baseline runs
 * the same request through the same chain without them.
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
		this.tenantNames = new String[this.tenants];
		for (int i = 0; i < this.tenants; i++) {
			this.tenantNames[i] = "tenant-" + i;
		}
	}

	@TearDown
	public void tearDown() {
		this.registry.close();
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

	private MockHttpServletRequest request() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/42");
		request.addHeader("X-Tenant-ID", this.tenantNames[this.next++ % this.tenantNames.length]);
		request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, "/orders/{id}");
		return request;
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
