package dev.diagkit.endpoint;

import org.jspecify.annotations.Nullable;

/**
 * What the endpoint itself checks about its callers, whatever security chain ran before it.
 *
 * @param network the clients that may call
 * @param adminRole the role mutations and captures need, checked again on the section
 * actually answered, when diagkit's security chain authenticates callers; {@code null}
 * otherwise
 */
public record DiagAccess(NetworkAccess network, @Nullable String adminRole) {
}
