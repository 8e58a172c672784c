/**
 * The adaptive heap target: the JVM's analog of Go's memory-limit controllers. Memory
 * pressure tightens the heap target step by step down to a floor, and the target relaxes
 * back to its base when the pressure is gone or when the collector's share of CPU shows the
 * target is too tight. {@link dev.diagkit.memory.HeapTargetPolicy} decides; the levers the
 * running collector has carry the target out. Plain Java: no Micrometer, no Spring.
 */
@NullMarked
package dev.diagkit.memory;

import org.jspecify.annotations.NullMarked;
