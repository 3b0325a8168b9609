package dev.wharf.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.wharf.http.AccessLine;
import dev.wharf.http.Exchange;
import org.junit.jupiter.api.Test;

/**
 * The access log's writer: every line arrives whole, in order per thread, without waiting for more lines, and none is lost at
 * stop; lines a full queue drops are counted and said.
 */
class BatchingConsoleAppenderTest {
    private final LoggerContext context = started(new LoggerContext());

    private static LoggerContext started(LoggerContext context) {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        return context;
    }
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final PrintStream target = new PrintStream(written, false, StandardCharsets.UTF_8);

    private Logger logger(BatchingConsoleAppender appender) {
        appender.setContext(context);
        appender.start();
        Logger logger = context.getLogger("http.access");
        logger.setAdditive(false);
        logger.addAppender(appender);
        return logger;
    }

    private BatchingConsoleAppender appender(int capacity) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("[%thread] %msg%n");
        encoder.start();
        return new BatchingConsoleAppender(encoder, () -> target, capacity);
    }

    /** Runs {@code work} on four threads at once, each given its number, and waits for all of them. */
    private static void onFourThreads(java.util.function.IntConsumer work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(threads.submit(() -> work.accept(thread)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private String output() {
        synchronized (target) {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLoneLineIsWrittenWithoutWaitingForOthersWithItsThreadAndFormattedMessage() throws Exception {
        java.util.concurrent.CountDownLatch flushed = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream lone = new ByteArrayOutputStream();
        PrintStream signalling = new PrintStream(lone, false, StandardCharsets.UTF_8) {
            @Override
            public void flush() {
                super.flush();
                flushed.countDown();
            }
        };
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("[%thread] %msg%n");
        encoder.start();
        BatchingConsoleAppender appender = new BatchingConsoleAppender(encoder, () -> signalling, 16);
        logger(appender).info("GET {} {}", "/v1/modules/acme/vpc/aws/versions", 200);
        assertThat(flushed.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("written without another line behind it").isTrue();
        assertThat(lone.toString(StandardCharsets.UTF_8))
                .isEqualTo("[" + Thread.currentThread().getName() + "] GET /v1/modules/acme/vpc/aws/versions 200\n");
        appender.stop();
    }

    @Test
    void linesFromManyThreadsArriveWholeAndInOrderAndStopWritesWhatIsQueued() throws Exception {
        BatchingConsoleAppender appender = appender(100_000);
        Logger logger = logger(appender);
        onFourThreads(thread -> {
            for (int i = 0; i < 5_000; i++) {
                logger.info("t{} line {}", thread, i);
            }
        });
        appender.stop();
        List<String> lines = output().lines().toList();
        // Every line, and no warning of lines dropped: the queue never filled.
        assertThat(lines).hasSize(20_000).noneMatch(line -> line.contains("dropped"));
        assertThat(appender.droppedLines()).isZero();
        for (int t = 0; t < 4; t++) {
            String prefix = "t" + t + " line ";
            List<Integer> order = lines.stream().map(l -> l.substring(l.indexOf("] ") + 2)).filter(l -> l.startsWith(prefix))
                    .map(l -> Integer.parseInt(l.substring(prefix.length()))).toList();
            assertThat(order).hasSize(5_000).isSorted();
        }
    }

    @Test
    void whenTheWriterIsStuckLinesAreDroppedNotWaitedFor() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ByteArrayOutputStream slow = new ByteArrayOutputStream();
        PrintStream stuck = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (slow) {
                    slow.write(b, off, len);
                }
            }
        }, false, StandardCharsets.UTF_8);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%msg%n");
        encoder.start();
        BatchingConsoleAppender appender = new BatchingConsoleAppender(encoder, () -> stuck, 4);
        Logger logger = logger(appender);
        long begun = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            logger.info("line {}", i);
        }
        assertThat(System.nanoTime() - begun).as("logging while the writer is stuck").isLessThan(5_000_000_000L);
        release.countDown();
        appender.stop();
        List<String> lines;
        synchronized (slow) {
            lines = slow.toString(StandardCharsets.UTF_8).lines().toList();
        }
        assertThat(lines).contains("line 0").hasSizeLessThan(10_000);
        // What was dropped is said, in the log itself: with the lines written, every line is accounted for.
        long reported = 0;
        long written = 0;
        for (String line : lines) {
            java.util.regex.Matcher report = java.util.regex.Pattern.compile(
                    "(\\d+) access log lines dropped: requests came faster than the log's output took their lines").matcher(line);
            if (report.matches()) {
                reported += Long.parseLong(report.group(1));
            } else {
                assertThat(line).matches("line \\d+");
                written++;
            }
        }
        assertThat(reported).isPositive().isEqualTo(appender.droppedLines());
        assertThat(written + reported).isEqualTo(10_000);
    }

    @Test
    void thePlainEncoderWritesAccessAndOtherLinesWholeFromManyThreads() throws Exception {
        PlainLineEncoder encoder = new PlainLineEncoder(PlainLineEncoder.Stamp.DATE_TIME_OFFSET, java.time.ZoneOffset.UTC);
        encoder.setContext(context);
        encoder.start();
        BatchingConsoleAppender appender = new BatchingConsoleAppender(encoder, () -> target, 100_000);
        Logger logger = logger(appender);
        onFourThreads(thread -> {
            for (int i = 0; i < 2_000; i++) {
                logger.info("{}", new AccessLine(new Exchange("/v1/modules/{namespace}/{name}/{provider}/versions", "GET",
                        "/v1/modules/t" + thread + "/n" + i + "/aws/versions", null, "HTTP/1.1", 200, 0, 228, 1_250_000,
                        "10.0.0.7", "Terraform/1.11.4")));
                logger.info("t{} plain {}", thread, i);
            }
        });
        appender.stop();
        List<String> lines = output().lines().toList();
        assertThat(lines).hasSize(16_000);
        assertThat(lines).filteredOn(l -> l.contains(" http.access GET /v1/modules/t")).hasSize(8_000)
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  http.access GET /v1/modules/t\\d/n\\d+/aws/versions"
                        + " HTTP/1.1 200 228B 1\\.3ms 10\\.0\\.0\\.7 \"Terraform/1\\.11\\.4\""));
        assertThat(lines).filteredOn(l -> l.contains(" plain ")).hasSize(8_000);
    }
}
