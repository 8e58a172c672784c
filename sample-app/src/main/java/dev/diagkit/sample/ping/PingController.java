package dev.diagkit.sample.ping;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ping}: a constant answer, so that load runs against it measure what diagkit
 * costs per request rather than the sample's simulated work.
 */
@RestController
class PingController {

	@GetMapping("/ping")
	String ping() {
		return "pong";
	}

}
