package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Both programs print the build's version and git revision, in a JVM of their own as users run them. */
class VersionFlagsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"boring-registry,-V", "boring-registry,--version", "boring-registry,version",
            "package-registry,-V", "package-registry,-version", "package-registry,--version"})
    void printsTheVersionAndTheGitRevision(String program, String flag) throws Exception {
        try (WharfProcess wharf = WharfProcess.start(dir, Map.of(), List.of(program, flag))) {
            assertThat(wharf.waitFor(Duration.ofSeconds(60))).as(wharf.output()).isZero();
            assertThat(wharf.output().strip()).startsWith(program + " (Wharf) " + System.getProperty("wharf.version")
                    + " (git " + headRevision() + ")");
        }
    }

    private static String headRevision() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String revision = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(revision).isZero();
        return revision;
    }
}
