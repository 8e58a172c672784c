package dev.diagkit.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals, IPv4 or IPv6 (bracketed or not, with a zone), and never looks a
 * name up: a client address or a configured network must not cause a DNS query.
 */
public final class IpLiterals {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.%a-zA-Z0-9]+");

	private IpLiterals() {
	}

	/**
	 * Parses a literal. An IPv4-mapped IPv6 literal comes back as IPv4.
	 * @param address the literal, such as {@code 192.0.2.7} or {@code [2001:db8::1]}
	 * @return the address, or {@code null} when the text is not an IP literal
	 */
	public static @Nullable InetAddress parse(String address) {
		String text = address.trim();
		if (text.startsWith("[") && text.endsWith("]")) {
			text = text.substring(1, text.length() - 1);
		}
		if (!(IPV4.matcher(text).matches() || (text.contains(":") && IPV6.matcher(text).matches()))) {
			return null;
		}
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
