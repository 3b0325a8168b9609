package dev.wharf.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.oci.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs a Docker credential helper ({@code docker-credential-<name> get}, the server URL on stdin,
 * JSON {@code {"Username","Secret"}} on stdout). The helper is looked up on the {@code PATH} of the
 * environment given here, so a test can put its own helper first without touching the JVM's.
 * Nothing the helper prints reaches a message: a failing helper is reported by name and exit code.
 */
public final class CredentialHelper {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> env;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    public CredentialHelper(Map<String, String> env) {
        this(env, TIMEOUT);
    }

    CredentialHelper(Map<String, String> env, Duration timeout) {
        this.env = Map.copyOf(env);
        this.timeout = timeout;
    }

    /** The credentials the helper holds for {@code serverUrl}, or empty when it has none. */
    public Optional<Credentials> get(String name, String serverUrl) {
        if (!NAME.matcher(name).matches()) {
            throw failure(name, "its name is not a valid helper name");
        }
        String program = "docker-credential-" + name;
        Path executable = find(program).orElseThrow(() -> failure(name, program + " is not on the PATH"));
        Process process;
        try {
            // What it says on stderr is never shown, and a full pipe must not stall it.
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw failure(name, "it could not be started (" + e.getMessage() + ")");
        }
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // A helper that exits without reading its input is judged by its exit status below.
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            byte[] stdout = answer(process, name);
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw failure(name, "it did not answer within " + timeout.toSeconds() + " s");
            }
            String out = new String(stdout, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                // The helper protocol's answer for "nothing stored for this server".
                if (out.contains("credentials not found")) {
                    return Optional.empty();
                }
                throw failure(name, "it exited with status " + process.exitValue());
            }
            JsonNode answer = json.readTree(out);
            String user = answer == null ? "" : answer.path("Username").asText("");
            String secret = answer == null ? "" : answer.path("Secret").asText("");
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            if (user.equals("<token>")) {
                return Optional.of(new Credentials.Token(secret));
            }
            return Optional.of(new Credentials.Basic(user, secret));
        } catch (IOException e) {
            throw failure(name, "its answer could not be read as JSON with Username and Secret");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(name, "the wait for it was interrupted");
        } finally {
            // Whatever ended the wait, no helper is left behind, nor its pipes.
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * What the helper writes on stdout, read on a thread of its own so that the timeout holds: a helper
     * waiting for a keychain to unlock never closes stdout, and the read alone would wait for good while
     * every request to the registry waits on the credentials.
     */
    private byte[] answer(Process process, String name) throws IOException, InterruptedException {
        FutureTask<byte[]> reading = new FutureTask<>(() -> readLimited(process.getInputStream()));
        Thread reader = new Thread(reading, "docker-credential-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            return reading.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw failure(name, "it did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw failure(name, "its answer could not be read");
        }
    }

    private Optional<Path> find(String program) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (out.size() + n > 1 << 20) {
                throw new IOException("helper answer larger than 1 MiB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    static String safeName(String name) {
        return NAME.matcher(name).matches() ? name : "?";
    }

    private static StorageException failure(String name, String why) {
        return new StorageException(StorageException.Kind.UNAUTHORIZED, "the Docker credential helper docker-credential-"
                + safeName(name) + " failed: " + why + "; check the helper (credsStore/credHelpers in the Docker"
                + " configuration) or give the credentials explicitly");
    }
}
