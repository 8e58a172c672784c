package dev.diagkit.autoconfigure;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.diagkit.memory.AdaptiveHeapController;
import dev.diagkit.memory.HeapTargetPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adaptive heap target is off unless asked for; asked for, it follows the pressure of a
 * PSI file (in this test JVM, through G1's free ratios) and stops with the context, putting
 * the JVM's options back; without a readable pressure it stays stopped and says why.
 */
@ExtendWith(OutputCaptureExtension.class)
class DiagkitMemoryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DiagkitMemoryAutoConfiguration.class));

	@TempDir
	Path dir;

	@Test
	void offUnlessEnabled() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(AdaptiveHeapController.class));
		this.contextRunner.withPropertyValues("diagkit.enabled=false", "diagkit.memory.adaptive.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(AdaptiveHeapController.class));
	}

	@Test
	void thePropertiesDefaultsAreThePolicys() {
		assertThat(new DiagkitMemoryProperties().getAdaptive().toPolicySettings())
			.isEqualTo(HeapTargetPolicy.Settings.DEFAULTS);
	}

	@Test
	void followsThePressureOfTheFileItIsGivenAndStopsWithTheContext() throws Exception {
		Path psi = this.dir.resolve("memory.pressure");
		Files.writeString(psi, "some avg10=30.00 avg60=10.00 avg300=2.00 total=1000\n"
				+ "full avg10=5.00 avg60=1.00 avg300=0.10 total=100\n");
		HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		String maxFree = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
		String softMax = hotspot.getVMOption("SoftMaxHeapSize").getValue();
		this.contextRunner
			.withPropertyValues("diagkit.memory.adaptive.enabled=true", "diagkit.memory.adaptive.period=50ms",
					"diagkit.memory.adaptive.pressure-path=" + psi)
			.run((context) -> {
				AdaptiveHeapController controller = context.getBean(AdaptiveHeapController.class);
				AdaptiveHeapController.Status status = controller.status();
				assertThat(status.running()).isTrue();
				assertThat(status.pressureSource()).isEqualTo("PSI file " + psi);
				assertThat(status.base()).isEqualTo(Runtime.getRuntime().maxMemory());
				// a change, not the target now: at a 50 ms period a collection in this busy JVM can
				// make the controller back off before a poll sees the lower target
				await().atMost(Duration.ofSeconds(10))
					.until(() -> controller.changes(HeapTargetPolicy.Reason.PRESSURE) > 0);
				assertThat(controller.status().history()).anyMatch((change) -> change.to() < status.base());
				assertThat(controller.status().lastReading().pressure()).isEqualTo(30.0);
			});
		assertThat(hotspot.getVMOption("MaxHeapFreeRatio").getValue()).as("put back").isEqualTo(maxFree);
		assertThat(hotspot.getVMOption("SoftMaxHeapSize").getValue()).as("put back").isEqualTo(softMax);
		assertThat(Thread.getAllStackTraces().keySet())
			.noneMatch((thread) -> thread.isAlive() && thread.getName().equals(AdaptiveHeapController.THREAD_NAME));
	}

	@Test
	void metersAreBoundWhenMicrometerIsThere() {
		ApplicationContextRunner enabled = this.contextRunner.withPropertyValues("diagkit.memory.adaptive.enabled=true");
		enabled.run((context) -> assertThat(context).hasBean("diagkitHeapTargetMetrics"));
		enabled.withPropertyValues("diagkit.metrics.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("diagkitHeapTargetMetrics"));
		enabled.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(AdaptiveHeapController.class);
			assertThat(context).doesNotHaveBean("diagkitHeapTargetMetrics");
		});
	}

	@Test
	void aPressureFileThatCannotBeReadLeavesTheTargetAloneAndSaysWhy(CapturedOutput output) {
		Path missing = this.dir.resolve("missing");
		this.contextRunner
			.withPropertyValues("diagkit.memory.adaptive.enabled=true", "diagkit.memory.adaptive.pressure-path=" + missing)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(AdaptiveHeapController.class).status().running()).isFalse();
			});
		assertThat(output).contains("The adaptive heap target is off: no memory pressure can be read here "
				+ "(diagkit.memory.adaptive.pressure-path " + missing + " is not a readable PSI file)");
	}

}
