package dev.wharf.cli.boring;

import dev.wharf.cli.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Duration flags, read as Go reads them ({@link GoDuration}): {@code 30s}, {@code 1.5m}, {@code 1h30m}, {@code 0}. */
public final class Durations implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return GoDuration.parse(value);
    }
}
