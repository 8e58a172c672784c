package dev.diagkit.architecture;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the house of DESIGN.md: one capability per package, arrows only pointing to the
 * packages listed before it (labels and runtime are the ground floor, autoconfigure the
 * roof), the plain-Java packages free of Spring, and Spring Boot's auto-configuration API
 * known only to the autoconfigure package.
 */
class ArchitectureTests {

	/** The capabilities, in the order DESIGN.md lists them: each may use those before it. */
	static final List<String> LAYERS = List.of("labels", "runtime", "propagation", "web", "profiling", "export",
			"trace", "metrics", "memory", "capacity", "endpoint", "security", "autoconfigure");

	/** Packages that are plain Java (JDK, JFR, Micrometer's API): usable without Spring. */
	static final List<String> PLAIN_JAVA = List.of("labels", "runtime", "profiling", "export", "trace", "metrics",
			"memory", "capacity");

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.diagkit");

	@Test
	void packagesDependOnlyOnThoseBeforeThem() {
		for (int i = 0; i < LAYERS.size(); i++) {
			for (int j = i + 1; j < LAYERS.size(); j++) {
				ArchRule rule = noClasses().that()
					.resideInAPackage(pkg(LAYERS.get(i)))
					.should()
					.dependOnClassesThat()
					.resideInAPackage(pkg(LAYERS.get(j)))
					.because(LAYERS.get(i) + " comes before " + LAYERS.get(j) + " in DESIGN.md's order")
					.allowEmptyShould(true);
				rule.check(CLASSES);
			}
		}
	}

	@Test
	void everyClassBelongsToACapabilityOfTheOrder() {
		classes().that()
			.resideInAPackage("dev.diagkit..")
			.should()
			.resideInAnyPackage(LAYERS.stream().map(ArchitectureTests::pkg).toArray(String[]::new))
			.because("a new package takes its place in DESIGN.md's order (and in LAYERS)")
			.check(CLASSES);
	}

	@Test
	void propagationIsPlainJavaPlusSpringsTaskDecoratorAndScheduling() {
		noClasses().that()
			.resideInAPackage(pkg("propagation"))
			.should()
			.dependOnClassesThat(resideInAPackage("org.springframework..")
				.and(not(resideInAnyPackage("org.springframework.core.task..", "org.springframework.scheduling.."))))
			.because("Spring container wiring lives in autoconfigure")
			.check(CLASSES);
	}

	@Test
	void plainJavaPackagesDoNotUseSpring() {
		for (String layer : PLAIN_JAVA) {
			noClasses().that()
				.resideInAPackage(pkg(layer))
				.should()
				.dependOnClassesThat()
				.resideInAPackage("org.springframework..")
				.because(layer + " is plain Java, usable without Spring")
				.allowEmptyShould(true)
				.check(CLASSES);
		}
	}

	@Test
	void capacityAndRuntimeWorkWithoutMicrometer() {
		for (String layer : List.of("runtime", "capacity")) {
			noClasses().that()
				.resideInAPackage(pkg(layer))
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage("io.micrometer..", pkg("metrics"))
				.because(layer + " must work without Micrometer on the class path")
				.check(CLASSES);
		}
	}

	@Test
	void onlyAutoconfigureKnowsSpringBootsAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage(pkg("autoconfigure"))
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.boot.autoconfigure..")
			.check(CLASSES);
	}

	private static String pkg(String layer) {
		return "dev.diagkit." + layer + "..";
	}

}
