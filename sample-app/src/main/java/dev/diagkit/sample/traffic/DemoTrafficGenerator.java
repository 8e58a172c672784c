package dev.diagkit.sample.traffic;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.diagkit.sample.orders.OrdersController;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Sends demo requests to the application's own port over loopback, at a bounded rate, on a
 * thread of its own: {@code GET /orders/{id}} and, one request in ten, {@code POST
 * /checkout}, for each configured tenant in turn, and one request in twenty without a
 * tenant. Learns the port when the web server starts; starts after it and stops before it,
 * so no thread outlives the application. Failed requests are logged at debug level and
 * never stop the generator.
 */
public class DemoTrafficGenerator implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

	/** The name of the generator's thread. */
	public static final String THREAD_NAME = "demo-traffic";

	private static final int CHECKOUT_EVERY = 10;

	private static final int WITHOUT_TENANT_EVERY = 20;

	private static final int ORDER_IDS = 500;

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(DemoTrafficGenerator.class);

	private final int requestsPerSecond;

	private final List<String> tenants;

	private final AtomicLong answered = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private volatile int port = -1;

	private @Nullable ScheduledExecutorService executor;

	/** Touched only by the generator's thread. */
	private long sequence;

	/**
	 * Creates the generator.
	 * @param properties the rate and the tenants
	 */
	public DemoTrafficGenerator(TrafficProperties properties) {
		this.requestsPerSecond = properties.requestsPerSecond();
		this.tenants = properties.tenants();
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// the application's own server, not a separate management server
		if (event.getApplicationContext().getServerNamespace() == null) {
			this.port = event.getWebServer().getPort();
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		if (this.port <= 0) {
			logger.warn("The web server's port is not known; no demo traffic will be sent");
			return;
		}
		String baseUrl = "http://127.0.0.1:" + this.port;
		RestClient client = RestClient.builder().baseUrl(baseUrl).requestFactory(requestFactory()).build();
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, THREAD_NAME);
			thread.setDaemon(true);
			return thread;
		});
		long periodMicros = TimeUnit.SECONDS.toMicros(1) / this.requestsPerSecond;
		scheduler.scheduleAtFixedRate(() -> sendNext(client), periodMicros, periodMicros, TimeUnit.MICROSECONDS);
		this.executor = scheduler;
		logger.info("Sending demo traffic to {} at {} requests/s for tenants {} (sample.traffic.enabled=false turns "
				+ "it off)", baseUrl, this.requestsPerSecond, this.tenants);
	}

	private static SimpleClientHttpRequestFactory requestFactory() {
		// HttpURLConnection runs on the calling thread: the generator starts no other threads
		SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
		factory.setConnectTimeout(Duration.ofSeconds(1));
		factory.setReadTimeout(Duration.ofSeconds(5));
		return factory;
	}

	private void sendNext(RestClient client) {
		long n = this.sequence++;
		String tenant = (n % WITHOUT_TENANT_EVERY == WITHOUT_TENANT_EVERY - 1) ? null
				: this.tenants.get((int) (n % this.tenants.size()));
		RestClient.RequestHeadersSpec<?> request = (n % CHECKOUT_EVERY == CHECKOUT_EVERY - 2)
				? client.post().uri("/checkout") : client.get().uri("/orders/{id}", n % ORDER_IDS);
		if (tenant != null) {
			request.header(OrdersController.TENANT_HEADER, tenant);
		}
		try {
			request.retrieve().toBodilessEntity();
			this.answered.incrementAndGet();
		}
		catch (RuntimeException ex) {
			this.failed.incrementAndGet();
			logger.debug("Demo request {} for tenant {} failed: {}", n, tenant, ex.toString());
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService scheduler = this.executor;
		if (scheduler == null) {
			return;
		}
		this.executor = null;
		scheduler.shutdownNow();
		try {
			if (!scheduler.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Demo traffic thread did not stop within {}", STOP_TIMEOUT);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.info("Demo traffic stopped: {} requests answered, {} failed", this.answered.get(), this.failed.get());
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	/**
	 * Returns how many demo requests got a successful answer.
	 * @return the count
	 */
	public long answeredRequests() {
		return this.answered.get();
	}

	/**
	 * Returns how many demo requests failed.
	 * @return the count
	 */
	public long failedRequests() {
		return this.failed.get();
	}

}
