package dev.diagkit.metrics;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual-thread scheduler's figures on JDK 24 and later, read reflectively: while
 * virtual threads spin, they stay mounted and the mounted count shows them.
 * They run when the build runs on a JDK 25.
 */
@Tag("jdk21")
@EnabledForJreRange(min = JRE.JAVA_24)
class VirtualThreadSchedulerMetricsJdk25Tests {

	@Test
	void registersTheSchedulerFiguresAndMountedThreadsRise() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new VirtualThreadSchedulerMetrics().bindTo(registry);
		assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
			.containsExactlyInAnyOrder("diagkit.virtual.threads.mounted", "diagkit.virtual.threads.queued",
					"diagkit.virtual.threads.scheduler.parallelism", "diagkit.virtual.threads.scheduler.pool.size");
		for (Meter meter : registry.getMeters()) {
			assertThat(meter.getId().getDescription()).isNotBlank();
			assertThat(meter.getId().getBaseUnit()).isEqualTo("threads");
		}
		assertThat(registry.get("diagkit.virtual.threads.scheduler.parallelism").gauge().value())
			.isEqualTo(Runtime.getRuntime().availableProcessors());
		CountDownLatch running = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		Method ofVirtual = Thread.class.getMethod("ofVirtual");
		Method start = Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class);
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Object builder = ofVirtual.invoke(null);
			threads.add((Thread) start.invoke(builder, (Runnable) () -> {
				running.countDown();
				long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
				// spin while mounted, so the carrier stays taken
				while (release.getCount() > 0 && System.nanoTime() < end) {
					Thread.onSpinWait();
				}
			}));
		}
		try {
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(registry.get("diagkit.virtual.threads.mounted").gauge().value()).isGreaterThanOrEqualTo(1.0);
			assertThat(registry.get("diagkit.virtual.threads.scheduler.pool.size").gauge().value())
				.isGreaterThanOrEqualTo(1.0);
		}
		finally {
			release.countDown();
			for (Thread thread : threads) {
				thread.join(10_000);
			}
		}
	}

}
