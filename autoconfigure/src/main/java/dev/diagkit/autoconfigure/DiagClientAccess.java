package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.NetworkAccess;
import org.jspecify.annotations.Nullable;

/**
 * What the endpoint itself checks about its callers, whatever chain ran before it.
 *
 * @param access the clients that may call
 * @param adminRole the role mutations and captures need, when diagkit's security chain
 * authenticates callers; {@code null} otherwise
 */
record DiagClientAccess(NetworkAccess access, @Nullable String adminRole) {
}
