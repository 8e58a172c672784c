package dev.diagkit.endpoint;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NetworkAccessTests {

	@Test
	void loopbackMeansBothEndsOfTheConnection() {
		NetworkAccess loopbackOnly = NetworkAccess.of(List.of(), true);
		assertThat(loopbackOnly.allows("127.0.0.1", "127.0.0.1")).isTrue();
		assertThat(loopbackOnly.allows("::1", "::1")).isTrue();
		assertThat(loopbackOnly.allows("127.0.0.1", "192.0.2.2")).as("claimed through a forwarded header").isFalse();
		assertThat(loopbackOnly.allows("203.0.113.9", "127.0.0.1")).isFalse();
	}

	@Test
	void networksAreMatchedByPrefix() {
		NetworkAccess access = NetworkAccess.of(List.of("10.0.0.0/8", "192.168.4.0/22", "fd00::/8"), false);
		assertThat(access.allows("10.200.3.4", "10.0.0.1")).isTrue();
		assertThat(access.allows("192.168.7.255", "10.0.0.1")).isTrue();
		assertThat(access.allows("192.168.8.1", "10.0.0.1")).isFalse();
		assertThat(access.allows("fd12::7", "fd00::1")).isTrue();
		assertThat(access.allows("fe80::1", "fd00::1")).isFalse();
		assertThat(access.allows("not-an-address.example", "10.0.0.1")).as("names are never looked up").isFalse();
		assertThat(NetworkAccess.of(List.of(), false).allowsAll()).isTrue();
	}

	@Test
	void malformedNetworksAreRejectedNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkAccess.of(List.of("10.0.0.0/33"), false))
			.withMessageContaining("'10.0.0.0/33' is not a network in CIDR notation")
			.withMessageContaining("diagkit.security.allowed-networks");
		assertThatIllegalArgumentException().isThrownBy(() -> NetworkAccess.of(List.of("intranet"), false));
	}

}
