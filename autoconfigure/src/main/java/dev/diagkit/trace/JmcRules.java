package dev.diagkit.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;

import org.jspecify.annotations.Nullable;

/**
 * JDK Mission Control's automated analysis rules ({@code flightrecorder.rules.jdk}, an
 * optional dependency), run through their API: JMC's command line writes invalid JSON when a
 * rule has no score. Results of severity information and warning become findings; a rule
 * that fails is skipped.
 */
final class JmcRules implements AnalysisRules {

	private static final Log logger = LogFactory.getLog(JmcRules.class);

	@Override
	public List<Finding> evaluate(Path file) throws IOException {
		IItemCollection items;
		try {
			items = JfrLoaderToolkit.loadEvents(file.toFile());
		}
		catch (CouldNotLoadRecordingException ex) {
			throw new IOException("JDK Mission Control cannot read " + file, ex);
		}
		ResultProvider results = new ResultProvider();
		List<Finding> findings = new ArrayList<>();
		for (IRule rule : RuleRegistry.getRules()) {
			IResult result;
			try {
				RunnableFuture<IResult> evaluation = rule.createEvaluation(items, IPreferenceValueProvider.DEFAULT_VALUES,
						results);
				evaluation.run();
				result = evaluation.get();
			}
			catch (Exception | LinkageError ex) {
				logger.debug("JMC rule " + rule.getId() + " failed", ex);
				continue;
			}
			if (result == null) {
				continue;
			}
			results.addResults(result);
			Finding finding = finding(rule, result);
			if (finding != null) {
				findings.add(finding);
			}
		}
		return findings;
	}

	private static @Nullable Finding finding(IRule rule, IResult result) {
		Severity severity = result.getSeverity();
		if (severity != Severity.INFO && severity != Severity.WARNING) {
			return null;
		}
		IQuantity score = result.getResult(TypedResult.SCORE);
		int value = (score != null) ? (int) Math.round(score.doubleValue()) : (int) Math.round(severity.getLimit());
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("rule", rule.getId());
		evidence.put("topic", rule.getTopic());
		String explanation = text(result, result.getExplanation());
		if (explanation != null) {
			evidence.put("explanation", explanation);
		}
		String summary = text(result, result.getSummary());
		String solution = text(result, result.getSolution());
		return new Finding("jmc." + rule.getId(), rule.getName(),
				(severity == Severity.WARNING) ? Finding.Severity.WARNING : Finding.Severity.INFO,
				Math.max(0, Math.min(100, value)), (summary != null) ? summary : rule.getName(), evidence,
				(solution != null) ? solution : "See the explanation (JDK Mission Control's rule " + rule.getId() + ").");
	}

	private static @Nullable String text(IResult result, @Nullable String message) {
		if (message == null || message.isBlank()) {
			return null;
		}
		return ResultToolkit.populateMessage(result, message, false).strip();
	}

}
