package dev.wharf.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import dev.wharf.http.AccessLog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The access log's appender: the threads that answer requests only hand each event to a bounded
 * queue (when it is full the line is dropped: a request never waits for the log), and one thread
 * writes whatever has queued up to stderr with one write per batch, once it has caught up. Lines
 * dropped are counted, and the count is written in the log itself, as a warning on the access
 * logger, at most once every {@value #REPORT_MILLIS} ms and when the log stops.
 *
 * <p>Logback's AsyncAppender in front of a ConsoleAppender wrote every line with a system call of
 * its own; at figure 1's load that writer took most of a core, and switching the access log off
 * raised throughput from 46–58 000 to 84–87 000 requests per second (bench/RESULTS.md, session 7).
 * Writing at the end of each batch is what log4j2's asynchronous loggers do; logback has no such
 * option. Messages are also formatted here rather than on the request's thread: an access event's
 * arguments are strings and numbers, which never change after the fact.
 */
final class BatchingConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private static final int BATCH = 512;
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long REPORT_MILLIS = 1000;
    private final Encoder<ILoggingEvent> encoder;
    private final Supplier<PrintStream> target;
    private final BlockingQueue<ILoggingEvent> queue;
    /** Lines the full queue refused since the start (only a request's thread that found it full adds). */
    private final AtomicLong dropped = new AtomicLong();
    private @Nullable Thread writer;
    /** What the writer's reports have counted so far, and when it last wrote one; only the writer touches them. */
    private long reported;
    private long lastReport = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(REPORT_MILLIS);

    /** @param target where batches go, asked at each write (as ConsoleAppender asks for System.err) */
    BatchingConsoleAppender(Encoder<ILoggingEvent> encoder, Supplier<PrintStream> target, int capacity) {
        this.encoder = encoder;
        this.target = target;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::writeBatches, "wharf-access-log");
        thread.setDaemon(true);
        writer = thread;
        super.start();
        thread.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        // What belongs to the calling thread is taken now; the message is formatted by the writer.
        event.getThreadName();
        event.getMDCPropertyMap();
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped since the start because the queue was full. */
    long droppedLines() {
        return dropped.get();
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        Thread thread = writer;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeBatches() {
        List<ILoggingEvent> batch = new ArrayList<>(BATCH);
        LineBatch bytes = new LineBatch();
        while (true) {
            boolean stopping = false;
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                stopping = true;
            }
            queue.drainTo(batch, BATCH - batch.size());
            boolean full = batch.size() == BATCH;
            write(batch, bytes);
            reportDrops(bytes, false);
            if (!full && !stopping) {
                // Lines keep coming under load: waiting a moment lets them gather into one write,
                // rather than every few lines waking this thread (a futex call on the request's
                // thread) and making a system call of their own. A lone line was written at once above.
                LockSupport.parkNanos(LINGER_NANOS);
            }
            if (stopping) {
                // Stopped: what was queued before is written, then the thread ends.
                while (queue.drainTo(batch, BATCH) > 0) {
                    write(batch, bytes);
                }
                reportDrops(bytes, true);
                return;
            }
        }
    }

    /**
     * Writes how many lines were dropped since the last report, if any were and the last report is
     * old enough (or {@code now}): a log that cannot keep up would otherwise get a line per batch.
     */
    private void reportDrops(LineBatch bytes, boolean now) {
        long at = System.nanoTime();
        if (!now && at - lastReport < TimeUnit.MILLISECONDS.toNanos(REPORT_MILLIS)) {
            return;
        }
        long total = dropped.get();
        long count = total - reported;
        if (count == 0 || !(getContext() instanceof LoggerContext context)) {
            return;
        }
        reported = total;
        lastReport = at;
        Logger logger = context.getLogger(AccessLog.LOGGER);
        LoggingEvent report = new LoggingEvent(BatchingConsoleAppender.class.getName(), logger, Level.WARN,
                "{} access log lines dropped: requests came faster than the log's output took their lines", null, new Object[] {count});
        write(new ArrayList<>(List.of(report)), bytes);
    }

    /** Writes the batch with one write and empties it. */
    private void write(List<ILoggingEvent> batch, LineBatch bytes) {
        if (batch.isEmpty()) {
            return;
        }
        for (ILoggingEvent event : batch) {
            try {
                if (encoder instanceof LineEncoder lines) {
                    lines.encodeInto(event, bytes);
                } else {
                    bytes.add(encoder.encode(event));
                }
            } catch (RuntimeException e) {
                addError("an access log line could not be encoded", e);
            }
        }
        batch.clear();
        PrintStream out = target.get();
        try {
            bytes.writeTo(out);
        } catch (java.io.IOException e) {
            // A PrintStream reports failures through checkError(), never by throwing.
        }
        out.flush();
    }
}
