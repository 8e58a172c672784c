package dev.diagkit.trace;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What {@link MethodTiming} accepts, and what it says about what it refuses.
 */
class MethodTimingTests {

	private final MethodTiming timing = new MethodTiming(List.of("dev.diagkit.trace"), 3,
			MethodTimingTests.class.getClassLoader(), 25);

	@Test
	void namedMethodsOfAllowedPackagesAreJfrFilterEntries() {
		assertThat(this.timing.select(" dev.diagkit.trace.TimedWork::price,dev.diagkit.trace.TimedWork::other, "
				+ "dev.diagkit.trace.TimedWork::price"))
			.containsExactly("dev.diagkit.trace.TimedWork::price", "dev.diagkit.trace.TimedWork::other");
		assertThat(this.timing.select("dev.diagkit.trace.TimedWork$Inner::run"))
			.containsExactly("dev.diagkit.trace.TimedWork$Inner::run");
	}

	@Test
	void beforeJava25TheJavaNeededIsNamed() {
		MethodTiming java17 = new MethodTiming(List.of("dev.diagkit.trace"), 3, getClass().getClassLoader(), 17);
		assertThatIllegalArgumentException().isThrownBy(() -> java17.select("dev.diagkit.trace.TimedWork::price"))
			.withMessage("Timing methods needs Java 25 or later (JFR method timing, JEP 520); this application runs on "
					+ "Java 17");
	}

	@Test
	void whatIsRefusedIsSaid() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("java.lang.String::hashCode"))
			.withMessageContaining("'java.lang.String' is not in a package whose methods may be timed: "
					+ "dev.diagkit.trace and their sub-packages (diagkit.trace.method-timing.allowed-packages)");
		// a package that only starts with an allowed one's name is not inside it
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("dev.diagkit.tracex.Foo::bar"))
			.withMessageContaining("not in a package whose methods may be timed");
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("dev.diagkit.trace.TimedWork"))
			.withMessage("'dev.diagkit.trace.TimedWork' is not Class::method, such as com.acme.Checkout::price");
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("dev.diagkit.trace.TimedWork::pr ice"))
			.withMessageContaining("is not Class::method with a fully qualified class name");
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("dev.diagkit.trace.Missing::run"))
			.withMessage("No class 'dev.diagkit.trace.Missing' in this application");
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("dev.diagkit.trace.TimedWork::nothing"))
			.withMessage("'dev.diagkit.trace.TimedWork' declares no method 'nothing' with a body (abstract and native "
					+ "methods cannot be timed)");
		assertThatIllegalArgumentException().isThrownBy(() -> this.timing.select("dev.diagkit.trace.TimedWork::price,"))
			.withMessageContaining("an entry is empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.timing.select("dev.diagkit.trace.A::a,dev.diagkit.trace.B::b,"
					+ "dev.diagkit.trace.C::c,dev.diagkit.trace.D::d"))
			.withMessage("At most 3 methods may be timed at once (diagkit.trace.method-timing.max-methods); 4 were named");
		MethodTiming none = new MethodTiming(List.of(), 3, getClass().getClassLoader(), 25);
		assertThatIllegalArgumentException().isThrownBy(() -> none.select("dev.diagkit.trace.TimedWork::price"))
			.withMessageContaining("none is allowed");
	}

}
