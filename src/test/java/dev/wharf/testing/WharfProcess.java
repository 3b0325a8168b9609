package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Wharf's real entry point in a JVM of its own: {@code java -jar wharf.jar ...} when the packaged jar
 * (system property {@code wharf.jar}) exists and is not older than the compiled classes, else
 * {@code java -cp <test classpath> dev.wharf.cli.Main ...}. The child gets only the environment
 * the test gives (plus PATH), a home and Docker configuration folder of its own, and writes
 * stdout and stderr to one file.
 */
public final class WharfProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    private final List<String> command;

    private WharfProcess(Process process, Path output, List<String> command) {
        this.process = process;
        this.output = output;
        this.command = command;
    }

    /** Starts {@code wharf <args>} in {@code workDir} with exactly {@code env} (and PATH). */
    public static WharfProcess start(Path workDir, Map<String, String> env, List<String> args) {
        return start(workDir, env, List.of("-Xmx256m"), args);
    }

    /** As above, with these JVM options (a heap limit, say) instead of the default {@code -Xmx256m}. */
    public static WharfProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions, List<String> args) {
        return start(workDir, env, jvmOptions, args, List.of());
    }

    /**
     * As above, with the process's largest file limited to {@code kilobytes} ({@code ulimit -f}): a
     * write past it fails as a full disk does, for real, with no root and no mount.
     */
    public static WharfProcess startWithFileSizeLimit(Path workDir, Map<String, String> env, List<String> args, long kilobytes) {
        return start(workDir, env, List.of("-Xmx256m"), args, List.of("sh", "-c", "ulimit -f " + kilobytes + " && exec \"$@\"", "sh"));
    }

    private static WharfProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions, List<String> args,
                                      List<String> wrapper) {
        try {
            Files.createDirectories(workDir);
            Path home = Files.createDirectories(workDir.resolve("home"));
            List<String> command = new ArrayList<>(wrapper);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-Duser.home=" + home);
            Optional<Path> jar = freshJar();
            if (jar.isPresent()) {
                command.addAll(List.of("-jar", jar.get().toString()));
            } else {
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.wharf.cli.Main"));
            }
            command.addAll(args);
            Path output = Files.createTempFile(workDir, "wharf-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            String path = builder.environment().getOrDefault("PATH", "/usr/bin:/bin");
            builder.environment().clear();
            builder.environment().put("PATH", path);
            builder.environment().put("DOCKER_CONFIG", Files.createDirectories(home.resolve(".docker")).toString());
            builder.environment().putAll(env);
            // The test report shows which build was exercised: the packaged jar or the classes.
            System.out.println("wharf " + (jar.isPresent() ? "jar " + jar.get() : "classes") + ": " + String.join(" ", args));
            return new WharfProcess(builder.start(), output, command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start wharf", e);
        }
    }

    /**
     * What the {@code bin/} launchers need to run this build: {@code WHARF_JAR} when the packaged jar
     * is fresh, else {@code WHARF_CLASSPATH} with the compiled classes (tests run before 'package').
     */
    public static Map<String, String> launcherEnvironment() {
        try {
            Optional<Path> jar = freshJar();
            return jar.isPresent() ? Map.of("WHARF_JAR", jar.get().toString())
                    : Map.of("WHARF_CLASSPATH", System.getProperty("java.class.path"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The packaged jar, when it was built from the current classes; a stale one would test old code.
     * Where the build asks for the jar (system property {@code wharf.requireJar}: the tests failsafe
     * runs after {@code package}), a missing or stale jar is an error, not a quiet fall-back to the
     * classes, which would leave the shipped jar untested.
     */
    public static Optional<Path> freshJar() throws IOException {
        Optional<Path> jar = packagedJarIfFresh();
        if (jar.isEmpty() && Boolean.getBoolean("wharf.requireJar")) {
            throw new IllegalStateException("wharf.requireJar is set, but the packaged jar "
                    + System.getProperty("wharf.jar") + " is missing or older than target/classes");
        }
        return jar;
    }

    private static Optional<Path> packagedJarIfFresh() throws IOException {
        String property = System.getProperty("wharf.jar");
        if (property == null || !Files.isRegularFile(Path.of(property))) {
            return Optional.empty();
        }
        Path jar = Path.of(property);
        Path classes = jar.resolveSibling("classes");
        FileTime built = Files.getLastModifiedTime(jar);
        if (Files.isDirectory(classes)) {
            try (Stream<Path> files = Files.walk(classes)) {
                boolean stale = files.filter(Files::isRegularFile).anyMatch(p -> {
                    try {
                        return Files.getLastModifiedTime(p).compareTo(built) > 0;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                if (stale) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(jar);
    }

    /** Waits for the process to end; a process still running at the deadline is killed and reported. */
    public int waitFor(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("wharf did not finish within " + deadline + ": " + command + "\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Polls {@code url} until it answers (any status) while the process runs; fails with the
     * process output when the process ends first or the deadline passes.
     */
    public void awaitHttp(URI url, Duration deadline) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("wharf exited with " + process.exitValue() + " before answering on " + url + ":\n" + output());
            }
            try {
                http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                pollPause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new AssertionError("wharf did not answer on " + url + " within " + deadline + ":\n" + output());
    }

    /**
     * Polls the readiness check {@code health?ready=true} until it answers 200 while the process
     * runs: a package-registry listens before its first index is loaded and takes traffic after.
     */
    public void awaitReady(URI health, Duration deadline) {
        awaitReady(health, deadline, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** As above, asking with {@code http} (one that trusts the server's certificate, for an https health URI). */
    public void awaitReady(URI health, Duration deadline, HttpClient http) {
        URI ready = URI.create(health + (health.getQuery() == null ? "?" : "&") + "ready=true");
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("wharf exited with " + process.exitValue() + " before it was ready on " + ready + ":\n" + output());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            pollPause();
        }
        throw new AssertionError("wharf was not ready on " + ready + " within " + deadline + ":\n" + output());
    }

    /** Waits until the output holds {@code text}; fails with the output when the process ends first or the deadline passes. */
    public String awaitOutput(String text, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            String output = output();
            if (output.contains(text)) {
                return output;
            }
            if (!process.isAlive()) {
                throw new AssertionError("wharf exited with " + process.exitValue() + " before saying '" + text + "':\n" + output);
            }
            pollPause();
        }
        throw new AssertionError("wharf did not say '" + text + "' within " + deadline + ":\n" + output());
    }

    /** Sends SIGTERM and returns at once: the process drains and exits on its own ({@link #waitFor}). */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: the process ends at once, with nothing run on the way out. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far (stdout and stderr). */
    public String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e.getMessage() + ")";
        }
    }

    /** Whether a connection to 127.0.0.1:{@code port} is taken (a bound port takes it into its backlog before its server accepts). */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The wait between two polls of a state (100 ms): a loop that waits for a server to change would otherwise spin a
     * core the server under test needs, on a two-core machine. Not a synchronization: the loop checks the state again.
     */
    public static void pollPause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Ends the process (SIGTERM, so shutdown hooks run; forcibly if it lingers). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
