package dev.wharf.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The log events of one logger (and those below it) while open, as logback formatted them. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures {@code name}'s events; {@code Logger.ROOT_LOGGER_NAME} for every logger's. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    public synchronized List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Events at {@code level} or above, as "LEVEL logger message" lines. */
    public List<String> lines(Level level) {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
