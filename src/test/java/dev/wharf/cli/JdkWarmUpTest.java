package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Only a server's start gets the warm-up thread; commands that print and exit, or upload, do not. */
class JdkWarmUpTest {
    @Test
    void serversStartIt() {
        assertThat(JdkWarmUp.startsServer("boring-registry", new String[] {"server", "--storage-oci-layout-dir", "x"})).isTrue();
        assertThat(JdkWarmUp.startsServer("package-registry", new String[] {})).isTrue();
        assertThat(JdkWarmUp.startsServer("package-registry", new String[] {"-address", "127.0.0.1:0"})).isTrue();
    }

    @Test
    void otherCommandsDoNot() {
        assertThat(JdkWarmUp.startsServer("boring-registry", new String[] {})).isFalse();
        assertThat(JdkWarmUp.startsServer("boring-registry", new String[] {"version"})).isFalse();
        assertThat(JdkWarmUp.startsServer("boring-registry", new String[] {"upload", "module"})).isFalse();
        assertThat(JdkWarmUp.startsServer("boring-registry", new String[] {"--help"})).isFalse();
        assertThat(JdkWarmUp.startsServer("package-registry", new String[] {"-version"})).isFalse();
        assertThat(JdkWarmUp.startsServer("package-registry", new String[] {"--help"})).isFalse();
        assertThat(JdkWarmUp.startsServer("package-registry", new String[] {"push", "x.zip"})).isFalse();
        assertThat(JdkWarmUp.startsServer("wharf", new String[] {"server"})).isFalse();
    }

    @Test
    void theThreadEndsOnceTheSetUpsAreDone() throws InterruptedException {
        Thread thread = JdkWarmUp.start();
        assertThat(thread.isDaemon()).isTrue();
        thread.join(Duration.ofMinutes(1).toMillis());
        assertThat(thread.isAlive()).isFalse();
    }
}
