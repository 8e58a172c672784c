package dev.diagkit.web;

import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Finds the route template a request will be dispatched to while it is still entering the
 * filter chain, so that the work of the filters (Spring Security's authentication above all)
 * runs under the request's {@code endpoint} label too. It asks the application's handler
 * mappings, in the order the {@code DispatcherServlet} asks them, on a view of the request
 * that keeps what they write to themselves; the {@link EndpointLabelInterceptor} still reads
 * the route the dispatcher settled on and corrects the label in the rare case it differs
 * (mappings that choose by header or parameter).
 * <p>
 * Routes found are kept per HTTP method and request URI, up to a bound per method; the URIs
 * come from clients before authentication, so when a method's map is full it is emptied,
 * which costs the next requests one lookup each and never holds more than the bound. What a
 * client can vary at will is not kept: a request no handler serves, one a mapping refuses
 * (its answer can depend on the {@code Content-Type} or {@code Accept} of that one request, so
 * keeping it would label the next, valid request {@code UNMATCHED}), a catch-all route
 * ({@code /**}), and a URI longer than {@value #MAX_REMEMBERED_URI_LENGTH} characters.
 */
public final class HandlerRouteResolver {

	/** Longer URIs are looked up every time, so that the remembered ones stay small. */
	static final int MAX_REMEMBERED_URI_LENGTH = 256;

	private final Supplier<List<HandlerMapping>> mappingsSource;

	private volatile @Nullable List<HandlerMapping> mappings;

	/** Whether a mapping needs the parsed request path; written before {@link #mappings}. */
	private boolean pathPatterns;

	private final ConcurrentHashMap<String, String>[] routes;

	private final int maxPerMethod;

	/**
	 * Creates a resolver.
	 * @param mappings the dispatcher's handler mappings in order, read on first use (they
	 * exist once the application context is refreshed)
	 * @param maxPerMethod most request URIs remembered per HTTP method
	 */
	@SuppressWarnings("unchecked")
	public HandlerRouteResolver(Supplier<List<HandlerMapping>> mappings, int maxPerMethod) {
		if (maxPerMethod < 1) {
			throw new IllegalArgumentException("maxPerMethod must be at least 1, was " + maxPerMethod);
		}
		this.mappingsSource = mappings;
		this.maxPerMethod = maxPerMethod;
		this.routes = new ConcurrentHashMap[RequestLabeler.methodCount()];
		for (int i = 0; i < this.routes.length; i++) {
			this.routes[i] = new ConcurrentHashMap<>();
		}
	}

	/**
	 * Returns the route template of the handler that will serve {@code request},
	 * {@link RequestLabeler#UNMATCHED} when no handler matches, or {@code null} when the
	 * handler mappings cannot tell (none are known yet).
	 * @param request the request entering the filter chain
	 * @return the route, or {@code null}
	 */
	public @Nullable String route(HttpServletRequest request) {
		ConcurrentHashMap<String, String> known = this.routes[RequestLabeler.methodIndex(request)];
		String uri = request.getRequestURI();
		String route = known.get(uri);
		if (route != null) {
			return route;
		}
		Lookup lookup = lookUp(request);
		if (lookup == null) {
			return null;
		}
		if (lookup.remember() && uri.length() <= MAX_REMEMBERED_URI_LENGTH) {
			if (known.size() >= this.maxPerMethod) {
				known.clear();
			}
			known.put(uri, lookup.route());
		}
		return lookup.route();
	}

	/** Returns how many request URIs are remembered, over all methods. */
	int size() {
		int size = 0;
		for (Map<String, String> known : this.routes) {
			size += known.size();
		}
		return size;
	}

	private @Nullable Lookup lookUp(HttpServletRequest request) {
		List<HandlerMapping> handlerMappings = mappings();
		if (handlerMappings.isEmpty()) {
			return null;
		}
		PrivateAttributes view = new PrivateAttributes(request);
		if (this.pathPatterns) {
			ServletRequestPathUtils.parseAndCache(view);
		}
		for (HandlerMapping mapping : handlerMappings) {
			HandlerExecutionChain chain;
			try {
				chain = mapping.getHandler(view);
			}
			catch (Exception ex) {
				// the dispatcher answers such a request with an error (405, 406, 415...)
				return Lookup.UNMATCHED;
			}
			if (chain != null) {
				Object pattern = view.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
				if (pattern == null) {
					return Lookup.UNMATCHED;
				}
				String route = pattern.toString();
				return new Lookup(route, !route.endsWith("/**"));
			}
		}
		return Lookup.UNMATCHED;
	}

	/** A route found, and whether to remember it for the URI. */
	private record Lookup(String route, boolean remember) {

		static final Lookup UNMATCHED = new Lookup(RequestLabeler.UNMATCHED, false);

	}

	private List<HandlerMapping> mappings() {
		List<HandlerMapping> known = this.mappings;
		if (known == null) {
			List<HandlerMapping> found = this.mappingsSource.get();
			known = (found != null) ? List.copyOf(found) : List.of();
			if (!known.isEmpty()) {
				this.pathPatterns = known.stream().anyMatch(HandlerMapping::usesPathPatterns);
				this.mappings = known;
			}
		}
		return known;
	}

	/**
	 * The request as handler mappings see it during the lookup: their attributes (the best
	 * matching pattern, URI variables, the parsed path) stay here, so the dispatcher later
	 * finds the request as it arrived.
	 */
	private static final class PrivateAttributes extends HttpServletRequestWrapper {

		private static final Object REMOVED = new Object();

		private final Map<String, Object> attributes = new HashMap<>();

		PrivateAttributes(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable Object getAttribute(String name) {
			Object value = this.attributes.get(name);
			if (value == REMOVED) {
				return null;
			}
			return (value != null) ? value : super.getAttribute(name);
		}

		@Override
		public Enumeration<String> getAttributeNames() {
			Set<String> names = new java.util.LinkedHashSet<>(Collections.list(super.getAttributeNames()));
			this.attributes.forEach((name, value) -> {
				if (value == REMOVED) {
					names.remove(name);
				}
				else {
					names.add(name);
				}
			});
			return Collections.enumeration(names);
		}

		@Override
		public void setAttribute(String name, @Nullable Object value) {
			this.attributes.put(name, (value != null) ? value : REMOVED);
		}

		@Override
		public void removeAttribute(String name) {
			this.attributes.put(name, REMOVED);
		}

	}

}
