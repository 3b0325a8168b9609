package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code podman} as these machines run it (see the shared machine notes): a
 * containers.conf of the test's own without default ulimits, the cgroupfs manager and the
 * {@code runc} runtime, since crun's defaults fail here. Containers share the host's network, so
 * servers in them listen on free ports of 127.0.0.1 like every other test server.
 */
public final class Podman {
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private final Path executable;
    private final Path runc;
    private final Path config;
    private final Path workDir;

    public Podman(Path workDir) {
        this.executable = RequiredTool.require("podman", "podman");
        this.runc = RequiredTool.require("runc", "runc");
        this.workDir = workDir;
        try {
            Files.createDirectories(workDir);
            this.config = Files.writeString(workDir.resolve("containers.conf"), """
                    [containers]
                    default_ulimits = []
                    [engine]
                    cgroup_manager = "cgroupfs"
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code podman <args>}; the exit code and everything it wrote. */
    public Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(commandLine());
        command.addAll(List.of(args));
        return exec(command, timeout);
    }

    /** The podman command with the options these machines need, as scripts take it in {@code PODMAN}. */
    public List<String> commandLine() {
        return List.of(executable.toString(), "--cgroup-manager=cgroupfs", "--runtime", runc.toString());
    }

    /** {@code podman <args>}, which must succeed; its output. */
    public String ok(Duration timeout, String... args) {
        Result result = run(timeout, args);
        if (!result.ok()) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** Runs any other command (mmdebstrap, skopeo) with podman's configuration in its environment. */
    public Result exec(List<String> command, Duration timeout) {
        return exec(command, Map.of(), timeout);
    }

    /** As {@link #exec(List, Duration)}, with these variables added to the environment. */
    public Result exec(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path log = Files.createTempFile(workDir, "podman-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("CONTAINERS_CONF", config.toString());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
