package dev.diagkit.endpoint;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.log.LogMessage;

/**
 * Records every mutation and capture made through {@code /actuator/diag}: an
 * {@link AuditApplicationEvent} of type {@code DIAG_<SECTION>} (which Spring Boot stores when
 * the application has an {@code AuditEventRepository}) and an INFO log line.
 */
public class DiagAudit {

	private static final Log logger = LogFactory.getLog(DiagAudit.class);

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates the audit.
	 * @param publisher publishes the audit events
	 */
	public DiagAudit(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/**
	 * Records one call.
	 * @param request the call
	 * @param method the HTTP method
	 * @param client the client address
	 * @param outcome what happened, such as {@code ok} or {@code rejected: …}
	 */
	public void record(DiagRequest request, String method, @Nullable String client, String outcome) {
		String principal = (request.principal() != null) ? request.principal() : "anonymous";
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("section", request.section());
		data.put("method", method);
		data.put("parameters", new LinkedHashMap<>(request.parameters()));
		data.put("client", client);
		data.put("outcome", outcome);
		this.publisher.publishEvent(new AuditApplicationEvent(principal, "DIAG_" + request.section().toUpperCase(
				Locale.ROOT), data));
		logger.info(LogMessage.format("diag %s %s by %s from %s with %s: %s", method, request.section(), principal,
				client, request.parameters(), outcome));
	}

}
