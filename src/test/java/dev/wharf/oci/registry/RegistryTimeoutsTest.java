package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryTimeoutsTest {
    private static final Duration S = Duration.ofSeconds(5);

    /** The refusal says the value as the flags write it, where it said PT0S to a user who wrote 0s. */
    @Test
    void aTimeoutOfNothingOrLessIsRefusedInTheFlagsOwnNotation() {
        assertThatThrownBy(() -> new RegistryTimeouts(Duration.ZERO, S, S, S))
                .hasMessage("the registry connect timeout must be greater than 0 (got 0s)");
        assertThatThrownBy(() -> new RegistryTimeouts(S, S, S, Duration.ZERO))
                .hasMessage("the registry retry budget must be greater than 0 (got 0s)");
    }
}
