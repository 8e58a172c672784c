package dev.diagkit.endpoint;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientRateLimiterTests {

	private final AtomicLong nanos = new AtomicLong();

	private final ClientRateLimiter limiter = new ClientRateLimiter(60, 3, this.nanos::get,
			ClientRateLimiter.MAX_CLIENTS);

	@Test
	void burstThenOnePerSecondWithRetryAfter() {
		for (int i = 0; i < 3; i++) {
			this.limiter.acquire("alice", "10.0.0.1");
		}
		assertThatThrownBy(() -> this.limiter.acquire("alice", "10.0.0.1"))
			.isInstanceOfSatisfying(TooManyRequestsException.class,
					(ex) -> assertThat(ex.retryAfterSeconds()).isEqualTo(1))
			.hasMessageStartingWith("Too many diag calls from user alice; the limit is 60 per minute with bursts of 3");
		this.limiter.acquire(null, "10.0.0.1");
		this.nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThatNoException().isThrownBy(() -> this.limiter.acquire("alice", "10.0.0.2"));
	}

	@Test
	void failedLoginsAreCountedPerAddressWithoutTakingFromSuccessfulCalls() {
		for (int i = 0; i < 3; i++) {
			this.limiter.checkAddress("203.0.113.7");
			this.limiter.chargeAddress("203.0.113.7");
		}
		assertThatThrownBy(() -> this.limiter.checkAddress("203.0.113.7"))
			.isInstanceOf(TooManyRequestsException.class)
			.hasMessageContaining("address 203.0.113.7");
		assertThatNoException().isThrownBy(() -> this.limiter.checkAddress("203.0.113.8"));
	}

	@Test
	void aMillionAddressesKeepTheTablesBoundedAndEvictNoPrincipal() {
		for (int i = 0; i < 3; i++) {
			this.limiter.acquire("alice", null);
		}
		for (int i = 0; i < 1_000_000; i++) {
			this.limiter.chargeAddress("2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff)
					+ "::1");
		}
		assertThat(this.limiter.clients()).isLessThanOrEqualTo(ClientRateLimiter.MAX_CLIENTS + 1);
		assertThatThrownBy(() -> this.limiter.acquire("alice", "2001:db8::1"))
			.as("alice's empty bucket survives the flood").isInstanceOf(TooManyRequestsException.class);
	}

	@Test
	void ipv6AddressesOfOneSlash64ShareABucket() {
		for (int i = 0; i < 3; i++) {
			this.limiter.acquire(null, "2001:db8:0:7::" + Integer.toHexString(i + 1));
		}
		assertThatThrownBy(() -> this.limiter.acquire(null, "2001:db8:0:7:ffff:1:2:3"))
			.isInstanceOf(TooManyRequestsException.class)
			.hasMessageContaining("address 2001:db8:0:7::/64");
		assertThatNoException().isThrownBy(() -> this.limiter.acquire(null, "2001:db8:0:8::1"));
		assertThat(NetworkAccess.clientKey("[2001:DB8::1]")).isEqualTo("2001:db8:0:0::/64");
		assertThat(NetworkAccess.clientKey("192.0.2.7")).isEqualTo("192.0.2.7");
		assertThat(NetworkAccess.clientKey("not:an:address")).isEqualTo("not:an:address");
	}

	@Test
	void aClientThatKeepsCallingIsNotForgotten() {
		ClientRateLimiter small = new ClientRateLimiter(60, 1, this.nanos::get, 100);
		small.chargeAddress("10.0.0.1");
		for (int i = 0; i < 10_000; i++) {
			small.chargeAddress("10.1." + (i / 256) + "." + (i % 256));
			if (i % 50 == 0) {
				assertThatThrownBy(() -> small.checkAddress("10.0.0.1")).isInstanceOf(TooManyRequestsException.class);
			}
		}
	}

}
