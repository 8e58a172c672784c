package dev.diagkit.web;

import java.io.IOException;

import dev.diagkit.labels.LabelScope;
import dev.diagkit.labels.LabelSet;
import dev.diagkit.labels.ProfilingLabels;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs every request under its {@code method} and {@code tenant} labels (and the static
 * labels), and gives the thread its previous labels back when the request leaves, also when
 * it fails. Async and error dispatches are labelled too; an error dispatch keeps the
 * endpoint of the request that failed.
 */
public class RequestLabelsFilter extends OncePerRequestFilter {

	private final RequestLabeler labeler;

	/**
	 * Creates the filter.
	 * @param labeler computes the labels
	 */
	public RequestLabelsFilter(RequestLabeler labeler) {
		this.labeler = labeler;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		LabelSet labels = this.labeler.entryLabels(request);
		if (request.getDispatcherType() == DispatcherType.ERROR) {
			LabelSet endpoint = this.labeler.knownEndpoint(request);
			if (endpoint != null) {
				labels = labels.with(endpoint);
			}
		}
		try (LabelScope scope = ProfilingLabels.open(labels)) {
			chain.doFilter(request, response);
		}
	}

}
