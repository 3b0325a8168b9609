package dev.wharf.cli.epr;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.cli.logging.EcsAccessLineEncoder;
import dev.wharf.cli.logging.EcsKeyValueEncoder;
import dev.wharf.cli.logging.PlainLineEncoder;
import dev.wharf.epr.api.EprApi;
import java.util.Optional;
import java.util.Set;

/** Sets up logging from {@code -log-level} and {@code -log-type}, as EPR logs. */
final class EprLogging {
    /** EPR's two log types: {@code ecs}, Elastic Common Schema JSON lines, and {@code dev}, plain text. */
    static final Set<String> LOG_TYPES = Set.of("ecs", "dev");
    private static final String SERVICE_NAME = "package-registry";

    private EprLogging() {
    }

    /**
     * The level {@code -log-level} names, as zap reads it (EPR's {@code zapcore.Level}): its names in
     * lower or upper case, nothing for info, its panic and fatal levels as error. Empty for any other
     * value, which EPR refuses ({@code unrecognized level}); it had started at info without a word.
     */
    static Optional<Level> level(String name) {
        return Optional.ofNullable(switch (name) {
            case "debug", "DEBUG" -> Level.DEBUG;
            case "info", "INFO", "" -> Level.INFO;
            case "warn", "WARN" -> Level.WARN;
            case "error", "ERROR", "dpanic", "DPANIC", "panic", "PANIC", "fatal", "FATAL" -> Level.ERROR;
            default -> null;
        });
    }

    static void configure(String level, String type) {
        boolean ecs = !"dev".equals(type);
        ConsoleLogging.install(level(level).orElse(Level.INFO), ecs ? EprLogging::ecs : EprLogging::text,
                ecs ? () -> new EcsAccessLineEncoder(SERVICE_NAME, EprApi.EPR_API_VERSION) : EprLogging::text);
    }

    /**
     * For the commands that serve nothing ({@code push}, {@code mirror}): plain lines at info. Without
     * it logback's own default applies, which writes every library's debug lines.
     */
    static void configureForCommand() {
        configure("info", "dev");
    }

    private static Encoder<ILoggingEvent> ecs() {
        EcsKeyValueEncoder encoder = new EcsKeyValueEncoder();
        encoder.setServiceName(SERVICE_NAME);
        encoder.setServiceVersion(EprApi.EPR_API_VERSION);
        return encoder;
    }

    private static Encoder<ILoggingEvent> text() {
        return new PlainLineEncoder(PlainLineEncoder.Stamp.TIME_OF_DAY);
    }
}
