package dev.diagkit.tenantflood;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An unauthenticated client inventing tenant headers, against a real server: the flood fills
 * the tenant's places only until its values age out, an allow-list keeps listed tenants by
 * name throughout, and a tenant can be required to come from an authenticated request.
 */
class TenantFloodIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final int FLOOD = 10_000;

	@Nested
	@SpringBootTest(classes = TenantFloodTestApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "diagkit.labels.policy.max-values-per-key=50", "diagkit.labels.policy.value-ttl=5s" })
	@DirtiesContext
	class Ageing {

		@LocalServerPort
		int port;

		@Test
		void realTenantsAreLabelledByNameAgainOnceTheFloodAgesOut() throws Exception {
			assertThat(tenant(this.port, "/labels", "acme", null)).isEqualTo("acme");
			AtomicInteger acmeOther = new AtomicInteger();
			flood(this.port, (i) -> {
				if (i % 100 == 0 && !"acme".equals(tenant(this.port, "/labels", "acme", null))) {
					acmeOther.incrementAndGet();
				}
			});
			assertThat(acmeOther).as("a tenant active during the flood keeps its place").hasValue(0);
			assertThat(newcomerRefusedWhileFull(this.port)).as("a new tenant right after the flood").isTrue();
			await().atMost(Duration.ofSeconds(15))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> "globex".equals(tenant(this.port, "/labels", "globex", null)));
		}

	}

	@Nested
	@SpringBootTest(classes = TenantFloodTestApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = { "diagkit.labels.policy.max-values-per-key=50",
					"diagkit.labels.request.tenant-values[0]=acme", "diagkit.labels.request.tenant-values[1]=globex",
					"diagkit.labels.request.tenant-values[2]=eu-[0-9]{1,3}" })
	@DirtiesContext
	class AllowList {

		@LocalServerPort
		int port;

		@Test
		void listedTenantsNeverBecomeOtherAndInventedOnesDo() throws Exception {
			List<String> seen = new ArrayList<>();
			flood(this.port, (i) -> {
				if (i % 100 == 0) {
					synchronized (seen) {
						seen.add(tenant(this.port, "/labels", (i % 200 == 0) ? "acme" : "globex", null));
					}
				}
			});
			assertThat(seen).hasSize(FLOOD / 100).containsOnly("acme", "globex");
			assertThat(tenant(this.port, "/labels", "initech", null)).isEqualTo("_other");
			assertThat(tenant(this.port, "/labels", "eu-7", null)).as("matches an expression").isEqualTo("eu-7");
		}

	}

	@Nested
	@SpringBootTest(classes = TenantFloodTestApplication.class,
			webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "diagkit.labels.request.tenant-requires-authentication=true")
	@DirtiesContext
	class RequiresAuthentication {

		@LocalServerPort
		int port;

		@Test
		void onlyAuthenticatedRequestsNameTheirTenant() throws Exception {
			assertThat(tenant(this.port, "/labels", "acme", null)).as("unauthenticated").isNull();
			assertThat(tenant(this.port, "/account/labels", "acme", "alice:secret")).isEqualTo("acme");
		}

	}

	/**
	 * Whether a new tenant sent right after a made-up one was refused is refused too. The
	 * flood's values age out in batches, one freed at most every sixteenth of the time-to-live,
	 * so a sweep may free a place between the two requests on a slow machine; each such try
	 * uses a new name and the table is shown full again first.
	 */
	private static boolean newcomerRefusedWhileFull(int port) throws Exception {
		for (int attempt = 0; attempt < 20; attempt++) {
			String made = null;
			for (int i = 0; i < 200 && !"_other".equals(made); i++) {
				made = tenant(port, "/labels", UUID.randomUUID().toString().substring(0, 12), null);
			}
			assertThat(made).as("a made-up tenant once the table is full again").isEqualTo("_other");
			if ("_other".equals(tenant(port, "/labels", "initech-" + attempt, null))) {
				return true;
			}
		}
		return false;
	}

	/** Sends {@value #FLOOD} requests with made-up tenants, calling {@code between} with each index. */
	private static void flood(int port, Step between) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			AtomicInteger next = new AtomicInteger();
			for (int t = 0; t < 8; t++) {
				done.add(pool.submit(() -> {
					for (int i = next.getAndIncrement(); i < FLOOD; i = next.getAndIncrement()) {
						tenant(port, "/labels", UUID.randomUUID().toString().substring(0, 12), null);
						between.run(i);
					}
					return null;
				}));
			}
			for (Future<?> future : done) {
				future.get();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static @Nullable String tenant(int port, String path, String tenant, @Nullable String basic)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("X-Tenant-ID", tenant)
			.timeout(Duration.ofSeconds(10));
		if (basic != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
		}
		HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<?, ?> labels = json.readValue(response.body(), Map.class);
		return (String) labels.get("tenant");
	}

	@FunctionalInterface
	private interface Step {

		void run(int index) throws Exception;

	}

}
