package dev.wharf.epr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

/** Checking a version without making it answers as making it does. */
class VersionsTest {
    /** What strict() took before isStrict existed: semver 2's pattern, then whatever semver4j refuses. */
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");

    @Test
    void isStrictFollowsSemver4jOnTheEdges() {
        for (String taken : new String[] {"0.0.0", "1.2.3", "1.21.0-beta1", "1.2.3-0", "1.2.3-0a", "1.2.3--", "1.2.3-a-.-b",
                "1.2.3+01", "1.2.3+0.00", "2147483647.2147483647.2147483647", "1.2.3-99999999999999999999"}) {
            assertThat(Versions.isStrict(taken)).as(taken).isTrue();
            assertThat(Versions.strict(taken)).as(taken).isPresent();
        }
        for (String refused : new String[] {"", "1", "1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-", "1.2.3-01", "1.2.3-beta.01",
                "1.2.3-00", "1.2.3-a..b", "1.2.3+", "2147483648.0.0", "0.99999999999.0", "1.2.3 ", " 1.2.3"}) {
            assertThat(Versions.isStrict(refused)).as(refused).isFalse();
            assertThat(Versions.strict(refused)).as(refused).isEmpty();
        }
        assertThat(Versions.isStrict(null)).isFalse();
    }

    @Test
    void isStrictAnswersAsParsingOnRandomVersions() {
        Random random = new Random(24);
        String[] parts = {"0", "1", "00", "01", "10", "2147483647", "2147483648", "9999999999", "a", "-", "beta", "0a", "rc", ""};
        int taken = 0;
        for (int i = 0; i < 60_000; i++) {
            StringBuilder v = new StringBuilder();
            int pieces = 3 + random.nextInt(4);
            for (int p = 0; p < pieces; p++) {
                if (p > 0) {
                    v.append(p == 3 ? (random.nextBoolean() ? "-" : "+") : random.nextInt(8) == 0 ? "-" : ".");
                }
                v.append(parts[random.nextInt(parts.length)]);
            }
            String text = v.toString();
            boolean parsed = SEMVER.matcher(text).matches() && Semver.parse(text) != null;
            assertThat(Versions.isStrict(text)).as(text).isEqualTo(parsed);
            taken += parsed ? 1 : 0;
        }
        assertThat(taken).as("versions taken among those made").isGreaterThan(500);
    }

    /** EPR's query versions, Masterminds' coercing NewVersion: leading zeros taken, nothing around the version, its error words. */
    @Test
    void coercedReadsQueryVersionsAsMastermindsNewVersion() {
        assertThat(Versions.coerced("08.010.00")).hasToString("8.10.0");
        assertThat(Versions.coerced("v8")).hasToString("8.0.0");
        assertThat(Versions.coerced("8.1-rc.0a+build.01")).hasToString("8.1.0-rc.0a+build.01");
        assertThat(Versions.coerced("8.1.0-00a")).hasToString("8.1.0-00a");
        for (String refused : new String[] {" 8.10.0", "8.10.0 ", "8.10.0\u0000", "", "v", "8.", "8.1.2.3", "8.1.0-", "8.1.0-a..b", "x"}) {
            assertThatThrownBy(() -> Versions.coerced(refused)).as(refused).hasMessage("invalid semantic version");
        }
        assertThatThrownBy(() -> Versions.coerced("8.1.0-01")).hasMessage("version segment starts with 0");
        assertThatThrownBy(() -> Versions.coerced("8.1.0-rc.00")).hasMessage("version segment starts with 0");
    }

    @Test
    void majorMinorIsTheFormatVersionsSpec() {
        assertThat(Versions.majorMinor("3.1.4")).get().hasToString("3.1.0");
        assertThat(Versions.majorMinor("2.0.0-preview1")).get().hasToString("2.0.0");
        assertThat(Versions.majorMinor("3.1")).isEmpty();
        assertThat(Versions.majorMinor(null)).isEmpty();
    }
}
