package dev.wharf.cli.boring;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.cli.logging.JsonLinesEncoder;

/** Sets up logging from {@code --json} and {@code --debug}: to stderr, Jetty kept quiet below warnings. */
final class Logging {
    private Logging() {
    }

    static void configure(GlobalOptions options) {
        ConsoleLogging.install(options.debug ? Level.DEBUG : Level.INFO, () -> encoder(options.json));
    }

    private static Encoder<ILoggingEvent> encoder(boolean json) {
        if (json) {
            return new JsonLinesEncoder();
        }
        PatternLayoutEncoder pattern = new PatternLayoutEncoder();
        pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{20} %msg%n");
        return pattern;
    }
}
