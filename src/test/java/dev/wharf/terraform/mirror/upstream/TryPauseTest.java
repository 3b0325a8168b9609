package dev.wharf.terraform.mirror.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TryPauseTest {
    /** The pause after a failed try doubles from 250 ms and stays at 2 s, however many tries a caller would make. */
    @Test
    void thePauseBetweenTriesDoublesUpToTwoSeconds() {
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(TryPause::after)).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }
}
