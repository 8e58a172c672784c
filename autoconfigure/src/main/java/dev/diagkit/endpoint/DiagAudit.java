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

	static final int MAX_PARAMETERS = 12;

	static final int MAX_LENGTH = 64;

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
		data.put("parameters", bounded(request.parameters()));
		data.put("client", client);
		data.put("outcome", outcome);
		this.publisher.publishEvent(new AuditApplicationEvent(principal, "DIAG_" + request.section().toUpperCase(
				Locale.ROOT), data));
		logger.info(LogMessage.format("diag %s %s by %s from %s with %s: %s", method, printable(request.section()),
				printable(principal), client, data.get("parameters"), outcome));
	}

	/**
	 * The parameters as recorded: at most {@value #MAX_PARAMETERS}, names and values cut to
	 * {@value #MAX_LENGTH} characters and control characters replaced, so that a caller can
	 * neither blow up the audit nor forge log lines.
	 */
	private static Map<String, String> bounded(Map<String, String> parameters) {
		Map<String, String> bounded = new LinkedHashMap<>();
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			if (bounded.size() == MAX_PARAMETERS) {
				bounded.put("…", (parameters.size() - MAX_PARAMETERS) + " more");
				break;
			}
			bounded.put(printable(parameter.getKey()), printable(parameter.getValue()));
		}
		return bounded;
	}

	private static String printable(String text) {
		String cut = (text.length() > MAX_LENGTH) ? text.substring(0, MAX_LENGTH) + "…" : text;
		StringBuilder out = new StringBuilder(cut.length());
		cut.codePoints().forEach((c) -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
		return out.toString();
	}

}
