package dev.diagkit.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code docs/configuration.md} true: every property of the configuration metadata
 * generated at build time must be documented there, with a description in the metadata.
 */
class ConfigurationReferenceTests {

	@Test
	void everyPropertyInTheMetadataIsDocumented() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
		List<String> undocumented = new ArrayList<>();
		List<String> undescribed = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (!reference.contains("`" + name + "`")) {
				undocumented.add(name);
			}
			if (!property.hasNonNull("description") || property.get("description").asString().isBlank()) {
				undescribed.add(name);
			}
		}
		assertThat(metadata.get("properties").size()).isGreaterThan(10);
		assertThat(undocumented).as("properties missing from docs/configuration.md").isEmpty();
		assertThat(undescribed).as("properties without a description").isEmpty();
	}

}
