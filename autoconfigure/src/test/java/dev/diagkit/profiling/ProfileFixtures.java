package dev.diagkit.profiling;

import dev.diagkit.labels.LabelSet;

/**
 * Frames and labels shared by the profile writer tests: two tenants' endpoints on a few
 * stacks, one frame at two lines, and a frame without a file.
 */
final class ProfileFixtures {

	static final StackFrame RUN = new StackFrame("java.lang.Thread", "run", "Thread.java", 840);

	static final StackFrame HANDLE = new StackFrame("com.example.web.Handler", "handle", "Handler.java", 20);

	static final StackFrame COMPUTE = new StackFrame("com.acme.Pricing", "compute", "Pricing.java", 42);

	static final StackFrame COMPUTE_LATER_LINE = new StackFrame("com.acme.Pricing", "compute", "Pricing.java", 43);

	static final StackFrame ROUND = new StackFrame("com.acme.Pricing", "round", "Pricing.java", 60);

	static final StackFrame SCAN = new StackFrame("com.globex.Search", "scan", "Search.java", 7);

	static final StackFrame REFERENCES = new StackFrame("java.lang.ref.Reference", "processPendingReferences", null,
			0);

	static final LabelSet ACME = LabelSet.of("tenant", "acme", "endpoint", "GET /price");

	static final LabelSet GLOBEX = LabelSet.of("tenant", "globex", "endpoint", "GET /search");

	private ProfileFixtures() {
	}

}
