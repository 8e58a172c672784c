package dev.diagkit.testing;

import java.util.Locale;
import java.util.Objects;

import dev.diagkit.profiling.Profile;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Judges a CPU profile's split between two tenants, acme and globex, against the units of
 * work each had done: the samples in a method named {@code unit}, by their {@code tenant}
 * label, must give acme a share within five points of its share of the units, with fewer
 * than one in twenty of them unlabelled.
 */
public final class TenantSplit {

	private TenantSplit() {
	}

	/**
	 * Asserts the split and returns it described, for the figures the docs quote.
	 * @param profile the CPU profile
	 * @param acmeUnits the units acme did while it recorded
	 * @param globexUnits the units globex did
	 * @return the shares and sample counts, as a line
	 */
	public static String assertWithinFivePoints(Profile profile, long acmeUnits, long globexUnits) {
		long acme = unitSamples(profile, "acme");
		long globex = unitSamples(profile, "globex");
		long unlabelled = unitSamples(profile, null);
		String counts = String.format(Locale.ROOT, "samples acme %d, globex %d, unlabelled %d; units %d/%d (%s)", acme,
				globex, unlabelled, acmeUnits, globexUnits, profile.notes());
		assertThat(acme + globex).as("samples in the work: %s", counts).isGreaterThan(200);
		double profileShare = (double) acme / (acme + globex);
		double trueShare = (double) acmeUnits / (acmeUnits + globexUnits);
		String split = String.format(Locale.ROOT, "%s: acme share of the profile %.3f, of the work %.3f; %s",
				Runtime.version(), profileShare, trueShare, counts);
		assertThat(unlabelled).as("samples of the work without a tenant: %s", split).isLessThan((acme + globex) / 20);
		assertThat(Math.abs(profileShare - trueShare)).as(split).isLessThan(0.05);
		return split;
	}

	/** The CPU value of the samples in the unit of work under a tenant, or under none. */
	private static long unitSamples(Profile profile, @Nullable String tenant) {
		long value = 0;
		for (Profile.Sample sample : profile.samples()) {
			if (Objects.equals(tenant, sample.labels().get("tenant"))
					&& sample.stack().stream().anyMatch((frame) -> frame.methodName().equals("unit"))) {
				value += sample.value(0);
			}
		}
		return value;
	}

}
