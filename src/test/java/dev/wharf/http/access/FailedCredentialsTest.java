package dev.wharf.http.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wharf.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Failed credential checks per address: a window from the first failure, throttled at the limit until it ends, on a clock the test moves. */
class FailedCredentialsTest {
    private static final String GUESSER = "203.0.113.7";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void listen() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        lines.setContext(context);
        lines.start();
        logger = context.getLogger(FailedCredentials.class);
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    @Test
    void anAddressIsThrottledAtTheLimitUntilItsWindowEndsAndOthersAreNot() {
        FailedCredentials failures = new FailedCredentials(3, clock);
        failures.failed(GUESSER);
        clock.advance(Duration.ofSeconds(10));
        failures.failed(GUESSER);
        assertThat(failures.throttled(GUESSER)).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        failures.failed(GUESSER);
        // The window opened with the first failure, 15 s ago.
        assertThat(failures.throttled(GUESSER)).contains(Duration.ofSeconds(45));
        assertThat(failures.throttled("203.0.113.8")).isEmpty();
        clock.advance(Duration.ofSeconds(44));
        assertThat(failures.throttled(GUESSER)).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(failures.throttled(GUESSER)).isEmpty();
        // A new window: one failure is far from the limit again.
        failures.failed(GUESSER);
        assertThat(failures.throttled(GUESSER)).isEmpty();
    }

    @Test
    void failuresAfterTheLimitDoNotMoveTheWindowsEndAndOneWarningIsLogged() {
        FailedCredentials failures = new FailedCredentials(2, clock);
        failures.failed(GUESSER);
        failures.failed(GUESSER);
        clock.advance(Duration.ofSeconds(30));
        failures.failed(GUESSER);
        failures.failed(GUESSER);
        assertThat(failures.throttled(GUESSER)).contains(Duration.ofSeconds(30));
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(lines.list.get(0).getFormattedMessage()).contains("2 failed credential checks from " + GUESSER)
                .contains("429").contains("2026-01-01T00:01:00Z");
    }

    @Test
    void zeroTurnsItOffAndANegativeLimitIsRefused() {
        FailedCredentials off = new FailedCredentials(0, clock);
        for (int i = 0; i < 1000; i++) {
            off.failed(GUESSER);
        }
        assertThat(off.enabled()).isFalse();
        assertThat(off.throttled(GUESSER)).isEqualTo(Optional.empty());
        assertThat(off.addresses()).isZero();
        assertThatThrownBy(() -> new FailedCredentials(-1, clock)).hasMessageContaining("0 (off) or more");
    }

    @Test
    void memoryStaysBoundedUnderFailuresFromVeryManyAddresses() {
        FailedCredentials failures = new FailedCredentials(30, FailedCredentials.WINDOW, 1000, clock);
        for (int i = 0; i < 20_000; i++) {
            failures.failed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
        }
        assertThat(failures.addresses()).isLessThanOrEqualTo(1000);
        // And windows that ended are dropped without a lookup.
        clock.advance(FailedCredentials.WINDOW);
        assertThat(failures.addresses()).isZero();
    }
}
