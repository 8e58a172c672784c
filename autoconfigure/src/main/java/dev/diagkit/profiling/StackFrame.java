package dev.diagkit.profiling;

import org.jspecify.annotations.Nullable;

/**
 * One frame of a sampled stack.
 *
 * @param className the fully qualified class name, such as {@code com.acme.OrderService}
 * @param methodName the method name
 * @param fileName the source file, or {@code null} when unknown
 * @param lineNumber the line, or 0 when unknown
 */
public record StackFrame(String className, String methodName, @Nullable String fileName, int lineNumber) {

	/**
	 * Returns the function name profilers show: {@code com.acme.OrderService.price}.
	 * @return the function name
	 */
	public String functionName() {
		return this.className + "." + this.methodName;
	}

}
