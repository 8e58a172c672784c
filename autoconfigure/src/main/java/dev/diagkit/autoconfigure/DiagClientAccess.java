package dev.diagkit.autoconfigure;

import dev.diagkit.endpoint.NetworkAccess;

/**
 * The client addresses the endpoint itself checks; with the diag security chain on, the
 * chain checks them and this lets everyone through.
 *
 * @param access the network policy
 */
record DiagClientAccess(NetworkAccess access) {
}
