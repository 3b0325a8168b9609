package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.cli.boring.ServerCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GoDurationTest {
    @Test
    void readsDecimalsAndEveryGoUnit() {
        assertThat(GoDuration.parse("1.5m")).isEqualTo(Duration.ofSeconds(90));
        assertThat(GoDuration.parse("0.5h")).isEqualTo(Duration.ofMinutes(30));
        assertThat(GoDuration.parse(".25s")).isEqualTo(Duration.ofMillis(250));
        assertThat(GoDuration.parse("1h2.5m")).isEqualTo(Duration.ofSeconds(3750));
        assertThat(GoDuration.parse("1.5us")).isEqualTo(Duration.ofNanos(1500));
        assertThat(GoDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void refusesWhatGoRefuses() {
        for (String bad : new String[] {"", "1", "1.5", "m", "1.5x", "1m 2s", "-", "1..5m"}) {
            assertThatThrownBy(() -> GoDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void aDurationPastGosLongestIsRefusedNotWrapped() {
        assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2_562_047));
        for (String bad : new String[] {"3000000h", "99999999999999999999s", "2562048h"}) {
            assertThatThrownBy(() -> GoDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is longer than the longest duration");
        }
    }

    @Test
    void boringRegistryDurationFlagsTakeDecimals() {
        CommandLine cli = new CommandLine(new ServerCommand());
        cli.parseArgs("--cache-tags-ttl", "1.5m", "--signed-url-ttl", "2.5s");
        assertThat((Duration) cli.getCommandSpec().findOption("--cache-tags-ttl").getValue()).isEqualTo(Duration.ofSeconds(90));
        assertThat((Duration) cli.getCommandSpec().findOption("--signed-url-ttl").getValue()).isEqualTo(Duration.ofMillis(2500));
    }
}
