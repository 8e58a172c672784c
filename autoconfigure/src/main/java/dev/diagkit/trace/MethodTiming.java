package dev.diagkit.trace;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Methods a trace times without code changes, through JFR's method timing and tracing (JDK
 * 25, JEP 520): each call of a named method becomes a {@code jdk.MethodTrace} event (thread,
 * start, duration), and {@code jdk.MethodTiming} sums them per method. Only methods of
 * allowed packages may be named, and only so many at once: instrumenting a JDK or library
 * method called everywhere would slow the whole application.
 */
public final class MethodTiming {

	/** The first Java release with JFR method timing. */
	public static final int REQUIRED_JAVA = 25;

	private static final Pattern CLASS_NAME = Pattern
		.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*(\\$\\p{javaJavaIdentifierPart}+)*");

	private static final Pattern METHOD_NAME = Pattern
		.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*");

	private final List<String> allowedPackages;

	private final int maxMethods;

	private final ClassLoader classLoader;

	private final int javaVersion;

	/**
	 * Creates the method timing of a trace recorder.
	 * @param allowedPackages the packages whose classes' methods may be named (their
	 * sub-packages too)
	 * @param maxMethods how many methods one trace may time
	 * @param classLoader loads the named classes, to check that the methods exist
	 */
	public MethodTiming(List<String> allowedPackages, int maxMethods, ClassLoader classLoader) {
		this(allowedPackages, maxMethods, classLoader, Runtime.version().feature());
	}

	MethodTiming(List<String> allowedPackages, int maxMethods, ClassLoader classLoader, int javaVersion) {
		this.allowedPackages = List.copyOf(allowedPackages);
		this.maxMethods = maxMethods;
		this.classLoader = classLoader;
		this.javaVersion = javaVersion;
	}

	/**
	 * Returns how many methods one trace may time.
	 * @return the most
	 */
	public int maxMethods() {
		return this.maxMethods;
	}

	/**
	 * Checks a list of methods to time and returns them as JFR's filter.
	 * @param methods {@code com.acme.Checkout::price} entries separated by commas
	 * @return the methods, each once, in JFR's {@code Class::method} form
	 * @throws IllegalArgumentException saying what is wrong and what is accepted
	 */
	public List<String> select(String methods) {
		if (this.javaVersion < REQUIRED_JAVA) {
			throw new IllegalArgumentException("Timing methods needs Java " + REQUIRED_JAVA
					+ " or later (JFR method timing, JEP 520); this application runs on Java " + this.javaVersion);
		}
		Set<String> named = new LinkedHashSet<>();
		for (String entry : methods.split(",", -1)) {
			String method = entry.strip();
			if (method.isEmpty()) {
				throw new IllegalArgumentException("methods must be Class::method entries separated by commas, such as "
						+ "com.acme.Checkout::price; an entry is empty");
			}
			named.add(method);
		}
		// counted before any class is loaded
		if (named.size() > this.maxMethods) {
			throw new IllegalArgumentException("At most " + this.maxMethods + " methods may be timed at once "
					+ "(diagkit.trace.method-timing.max-methods); " + named.size() + " were named");
		}
		List<String> selected = new ArrayList<>(named.size());
		for (String method : named) {
			selected.add(check(method));
		}
		return selected;
	}

	private String check(String method) {
		int separator = method.indexOf("::");
		if (separator < 0) {
			throw new IllegalArgumentException("'" + method + "' is not Class::method, such as com.acme.Checkout::price");
		}
		String className = method.substring(0, separator);
		String methodName = method.substring(separator + 2);
		if (!CLASS_NAME.matcher(className).matches() || !METHOD_NAME.matcher(methodName).matches()) {
			throw new IllegalArgumentException("'" + method + "' is not Class::method with a fully qualified class "
					+ "name and a method name, such as com.acme.Checkout::price");
		}
		if (!allowed(className)) {
			throw new IllegalArgumentException("'" + className + "' is not in a package whose methods may be timed: "
					+ ((this.allowedPackages.isEmpty()) ? "none is allowed"
							: String.join(", ", this.allowedPackages) + " and their sub-packages")
					+ " (diagkit.trace.method-timing.allowed-packages)");
		}
		Class<?> type;
		try {
			type = Class.forName(className, false, this.classLoader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IllegalArgumentException("No class '" + className + "' in this application");
		}
		Method[] declared;
		try {
			declared = type.getDeclaredMethods();
		}
		catch (LinkageError ex) {
			throw new IllegalArgumentException("The methods of '" + className + "' cannot be read: " + ex);
		}
		for (Method candidate : declared) {
			int modifiers = candidate.getModifiers();
			if (candidate.getName().equals(methodName) && !Modifier.isAbstract(modifiers)
					&& !Modifier.isNative(modifiers)) {
				return className + "::" + methodName;
			}
		}
		throw new IllegalArgumentException("'" + className + "' declares no method '" + methodName
				+ "' with a body (abstract and native methods cannot be timed)");
	}

	private boolean allowed(String className) {
		for (String allowed : this.allowedPackages) {
			if (className.startsWith(allowed + ".")) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Adds to a recording's settings what times {@code methods}: a {@code jdk.MethodTrace}
	 * event per call, without stack traces, and a {@code jdk.MethodTiming} summary per
	 * method.
	 * @param settings the settings to add to
	 * @param methods what {@link #select} returned
	 */
	static void enable(Map<String, String> settings, List<String> methods) {
		String filter = String.join(";", methods);
		settings.put("jdk.MethodTrace#enabled", "true");
		settings.put("jdk.MethodTrace#filter", filter);
		settings.put("jdk.MethodTrace#stackTrace", "false");
		settings.put("jdk.MethodTrace#threshold", "0 ns");
		settings.put("jdk.MethodTiming#enabled", "true");
		settings.put("jdk.MethodTiming#filter", filter);
	}

}
