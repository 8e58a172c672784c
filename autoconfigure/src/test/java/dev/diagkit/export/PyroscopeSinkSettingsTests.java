package dev.diagkit.export;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.diagkit.export.PyroscopeSink.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The sink's settings: defaults, and the combinations refused when they are made.
 */
class PyroscopeSinkSettingsTests {

	private static final URI URL = URI.create("http://pyroscope:4040");

	private static final Path SPOOL = Path.of("/var/spool/diagkit");

	private final Settings defaults = Settings.of(URL, SPOOL);

	@Test
	void defaults() {
		assertThat(this.defaults.tenantId()).isNull();
		assertThat(this.defaults.basicUsername()).isNull();
		assertThat(this.defaults.bearerToken()).isNull();
		assertThat(this.defaults.headers()).isEmpty();
		assertThat(this.defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.defaults.timeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.defaults.spoolMaxBytes()).isEqualTo(64L * 1024 * 1024);
		assertThat(this.defaults.queueCapacity()).isEqualTo(8);
		assertThat(this.defaults.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void anAuthorizationHeaderBesideCredentialsIsRefused() {
		Settings withHeader = this.defaults.withHeaders(Map.of("authorization", "Token abc"));
		assertThatIllegalArgumentException().isThrownBy(() -> withHeader.withBearerToken("t"))
			.withMessageContaining("Header Authorization would override the basic or bearer authentication");
		assertThatIllegalArgumentException().isThrownBy(() -> withHeader.withBasicAuthentication("u", "p"))
			.withMessageContaining("give the credentials or the header, not both");
		assertThat(withHeader.headers()).as("alone, the header is the application's own scheme")
			.containsEntry("authorization", "Token abc");
	}

	@Test
	void aTenantHeaderBesideTheTenantIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.defaults.withTenantId("acme").withHeaders(Map.of("X-Scope-OrgID", "other")))
			.withMessageContaining("X-Scope-OrgID would override tenantId");
	}

	@Test
	void headersTheSinkOrTheClientSetAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.defaults.withHeaders(Map.of("Content-Type", "application/json")))
			.withMessage("Header Content-Type is set by the sink or the HTTP client and cannot be given; "
					+ "the headers accepted are any others");
		assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withHeaders(Map.of("Host", "x")));
		assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withHeaders(Map.of("X-A", "1\r\nX-B: 2")))
			.withMessageContaining("must not contain control characters");
		assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withHeaders(Map.of("X A", "1")))
			.withMessageContaining("is not an HTTP token");
	}

	@Test
	void credentialsMustBeWhole() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.defaults.withBasicAuthentication("u", "p").withBearerToken("t"))
			.withMessage("Give basic authentication or a bearer token, not both; both were given");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Settings(URL, null, "user", null, null, Map.of(), Duration.ofSeconds(1),
					Duration.ofSeconds(1), SPOOL, 1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.withMessage("basicUsername and basicPassword must be given together, was only basicUsername");
		assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withBasicAuthentication("a:b", "p"))
			.withMessageContaining("must not contain ':'");
	}

	@Test
	void theUrlIsAnHttpBaseAddress() {
		for (String url : new String[] { "ftp://pyroscope", "pyroscope:4040", "http://pyroscope:4040/?x=1",
				"/ingest" }) {
			assertThatIllegalArgumentException().isThrownBy(() -> Settings.of(URI.create(url), SPOOL))
				.withMessageContaining("url must be an absolute http or https address")
				.withMessageContaining("was " + url);
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Settings.of(URI.create("https://user:secret@pyroscope"), SPOOL))
			.withMessageContaining("url must not hold credentials")
			.withMessageNotContaining("secret");
	}

	@Test
	void numbersOutOfRangeAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.defaults.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessage("connectTimeout must be between 1 ms and 2147483647 ms, was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.defaults.withTimeouts(Duration.ofSeconds(1), Duration.ofDays(30)))
			.withMessageStartingWith("timeout must be between 1 ms and 2147483647 ms");
		assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withSpoolMaxBytes(0))
			.withMessage("spoolMaxBytes must be positive, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> this.defaults.withQueueCapacity(-1))
			.withMessage("queueCapacity must be 0 (every window to the spool) or more, was -1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
			.withMessage("maxBackoff must be at least initialBackoff (PT2S), was PT1S");
	}

	@Test
	void toStringHidesSecrets() {
		Settings settings = this.defaults.withBasicAuthentication("grafana", "hunter2")
			.withHeaders(Map.of("X-Api-Key", "key-123"));
		assertThat(settings.toString()).contains("grafana", "X-Api-Key").doesNotContain("hunter2", "key-123");
		assertThat(this.defaults.withBearerToken("token-456").toString()).doesNotContain("token-456");
	}

}
