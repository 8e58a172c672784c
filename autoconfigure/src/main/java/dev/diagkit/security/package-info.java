/**
 * Who may call {@code /actuator/diag} when Spring Security is on the class path: bearer
 * tokens kept as hashes and authenticated through Spring Security's
 * {@code AuthenticationFilter} (so their logins raise the same authentication events as HTTP
 * Basic), the networks diag is open to, the roles each section needs, and refusals answered
 * with a status and a JSON body, never a redirect.
 */
@NullMarked
package dev.diagkit.security;

import org.jspecify.annotations.NullMarked;
