package dev.wharf.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Go's {@code time.ParseDuration} reads them, so both programs take what their
 * originals take: {@code 30s}, {@code 1.5m}, {@code 1h30m}, {@code 250ms}, {@code 0}.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /** @throws IllegalArgumentException naming the value and the expected form */
    public static Duration parse(String value) {
        String v = value.trim();
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(v);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            end = m.end();
        }
        if (end == 0 || end != v.length()) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 30s, 1.5m, 1h30m)");
        }
        if (nanos.compareTo(MAX_NANOS) > 0) {
            // Go refuses what does not fit its int64 of nanoseconds (about 292 years); it must not wrap to a negative.
            throw new IllegalArgumentException("'" + value + "' is longer than the longest duration, about 292 years (2562047h)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
