package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the README's commands as a newcomer would: {@code sh -c} in a folder that looks like the
 * checkout ({@code bin/} and {@code examples/} linked in), with only PATH, HOME and what the
 * launchers need to find this build.
 */
public final class ReadmeShell {
    private final Path work;
    private final Duration deadline;

    public ReadmeShell(Path work, Duration deadline) {
        this.work = work;
        this.deadline = deadline;
    }

    /** Runs one command to its end and asserts it succeeded; returns what it printed (stdout then stderr). */
    public String run(String command) throws Exception {
        Path log = Files.createTempFile(work, "command-", ".log");
        Process process = start(command, Map.of(), log);
        assertThat(process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)).as(command).isTrue();
        String out = Files.readString(log);
        assertThat(process.exitValue()).as(command + "\n" + out).isZero();
        return out;
    }

    /** Starts one command with {@code env} added, its output going to {@code log}. */
    public Process start(String command, Map<String, String> env, Path log) throws IOException {
        Path root = Path.of("").toAbsolutePath();
        for (String linked : List.of("bin", "examples")) {
            if (!Files.exists(work.resolve(linked))) {
                Files.createSymbolicLink(work.resolve(linked), root.resolve(linked));
            }
        }
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", command).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = new HashMap<>(Map.of("PATH", builder.environment().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", Files.createDirectories(work.resolve("home")).toString()));
        environment.putAll(WharfProcess.launcherEnvironment());
        environment.putAll(env);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }
}
