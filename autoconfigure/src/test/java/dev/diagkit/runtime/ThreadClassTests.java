package dev.diagkit.runtime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ThreadClass} from the kernel names HotSpot's threads have on JDK 17 and 25 with
 * each collector (as listed from {@code /proc/self/task/*}/comm on this machine).
 */
class ThreadClassTests {

	@ParameterizedTest
	@CsvSource({ "GC Thread#0, GC", "G1 Conc#0, GC", "G1 Main Marker, GC", "G1 Refine#0, GC", "G1 Service, GC",
			"ZDirector, GC", "ZDriverMajor, GC", "ZWorkerYoung#0, GC", "ZUncommitter#0, GC", "ZUnmapper, GC",
			"ZStat, GC", "Shenandoah Cont, GC", "Shenandoah GC T, GC", "C1 CompilerThre, JIT", "C2 CompilerThre, JIT",
			"Sweeper thread, JIT", "VM Thread, VM", "VM Periodic Tas, VM", "Service Thread, VM",
			"Monitor Deflati, VM", "RuntimeWorker#0, VM", "main, APPLICATION", "http-nio-8080-e, APPLICATION",
			"Finalizer, APPLICATION", "ZooKeeper, APPLICATION" })
	void classifiesHotSpotThreadNames(String name, ThreadClass expected) {
		assertThat(ThreadClass.of(name, false)).isEqualTo(expected);
	}

}
