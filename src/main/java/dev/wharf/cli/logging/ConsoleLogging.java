package dev.wharf.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.http.AccessLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Logging to stderr in one format for both programs, with the access log behind a queue: its
 * lines are produced on the threads that answer requests (selector threads for ready answers), so
 * they only hand the event over and one background thread writes them, a batch at a time
 * ({@link BatchingConsoleAppender}). When the queue is full, access lines are dropped rather than
 * making requests wait.
 */
public final class ConsoleLogging {
    /**
     * Lines held for a writer that lags (a slow disk or pipe). Held lines outlive young collections, and
     * the launchers' young generation is small (a 5.5 MB eden, 0.6 MB survivor spaces): 8 192 of them,
     * going through a log output slower than the requests, were promoted batch after batch and made a full
     * collection of 20–25 ms every few tenths of a second, the p99 of package-registry's /categories
     * (bench/RESULTS.md, session 30). 1 024 lines fit; at 160 000 requests a second they are 6 ms of lines.
     */
    private static final int ACCESS_QUEUE = 1024;
    private static final String ACCESS_APPENDER = "access";

    private ConsoleLogging() {
    }

    /** Replaces the current configuration; {@code encoders} makes one encoder per appender. */
    public static void install(Level level, Supplier<Encoder<ILoggingEvent>> encoders) {
        install(level, encoders, encoders);
    }

    /** As {@link #install(Level, Supplier)}, the access log's encoder made by {@code accessEncoder}. */
    public static void install(Level level, Supplier<Encoder<ILoggingEvent>> encoders, Supplier<Encoder<ILoggingEvent>> accessEncoder) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(console(context, "console", encoders.get()));
        root.setLevel(level);
        Encoder<ILoggingEvent> accessLines = accessEncoder.get();
        accessLines.setContext(context);
        accessLines.start();
        BatchingConsoleAppender async = new BatchingConsoleAppender(accessLines, () -> System.err, ACCESS_QUEUE);
        async.setContext(context);
        async.setName(ACCESS_APPENDER);
        async.start();
        // No level of its own: access lines are info (a probe no route matched, debug), so they follow
        // the program's level as EPR's and boring-registry's do; package-registry's -log-level warn has none.
        Logger access = context.getLogger(AccessLog.LOGGER);
        access.setAdditive(false);
        access.addAppender(async);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        // Jetty warns of every Host header it cannot read ("Bad Authority: [...]", the client's text):
        // the request is answered 400 and logged as any other, and a client must not write warnings at will.
        context.getLogger("org.eclipse.jetty.util.HostPort").setLevel(Level.ERROR);
        context.getLogger("io.javalin").setLevel(level.isGreaterOrEqual(Level.INFO) ? Level.WARN : Level.INFO);
    }

    /**
     * Counts, as {@code wharf_access_log_dropped_lines_total}, the access lines dropped because the log's
     * writer had fallen behind: the warnings in the log say the same, for whoever reads logs rather than
     * alerts.
     */
    public static void bindDroppedLines(MeterRegistry registry) {
        FunctionCounter.builder("wharf.access.log.dropped.lines", ConsoleLogging.class, c -> droppedAccessLines())
                .description("Access log lines dropped because the log's output was slower than the requests")
                .register(registry);
    }

    /** Access lines dropped so far (0 before {@link #install}). */
    static long droppedAccessLines() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getLogger(AccessLog.LOGGER).getAppender(ACCESS_APPENDER) instanceof BatchingConsoleAppender batching) {
            return batching.droppedLines();
        }
        return 0;
    }

    /**
     * Writes what the access log has queued and stops its writer, which is a daemon thread: without
     * this, the lines of the last requests a shutdown drains could be lost as the JVM exits. Called
     * once the servers are closed; nothing is done when {@link #install} was not.
     */
    public static void closeAccessLog() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            Appender<ILoggingEvent> access = context.getLogger(AccessLog.LOGGER).getAppender(ACCESS_APPENDER);
            if (access != null) {
                access.stop();
            }
        }
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, Encoder<ILoggingEvent> encoder) {
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(name);
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        return console;
    }
}
