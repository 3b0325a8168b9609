package dev.wharf.cli.boring;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.cli.logging.ConsoleLogging;
import dev.wharf.cli.logging.JsonLinesEncoder;
import dev.wharf.cli.logging.PlainLineEncoder;

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
        return new PlainLineEncoder(PlainLineEncoder.Stamp.DATE_TIME_OFFSET);
    }
}
