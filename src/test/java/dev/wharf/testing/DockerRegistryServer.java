package dev.wharf.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Debian's {@code docker-registry} (CNCF distribution 2.8.2) run by a test on 127.0.0.1, on a free
 * port, storing into a folder of the test's own. Set-ups: anonymous HTTP, htpasswd Basic auth
 * (bcrypt made in Java), TLS with a self-signed certificate, and Bearer tokens from a
 * {@link TokenServer}. The registry's log goes to a file that {@link #log()} returns for failure
 * messages. It can be stopped and started again on the same port and storage.
 */
public final class DockerRegistryServer implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private final Path logFile;
    private final int port;
    private final Path executable;
    private volatile Map<String, String> users;
    private final TestCertificates.SelfSigned certificate;
    private final TokenServer tokenServer;
    private volatile String tokenRealm;
    private final Builder settings;
    private Process process;

    private DockerRegistryServer(Builder b) throws IOException {
        this.executable = RequiredTool.require("docker-registry", "docker-registry");
        this.dir = Files.createDirectories(b.dir);
        this.users = Map.copyOf(b.users);
        this.certificate = b.tls ? (b.certificate != null ? b.certificate : TestCertificates.localhost()) : null;
        this.tokenServer = b.tokenServer;
        this.tokenRealm = b.tokenRealm != null ? b.tokenRealm : b.tokenServer != null ? b.tokenServer.realm() : null;
        this.settings = b;
        this.port = TestPorts.free();
        this.config = dir.resolve("config.yml");
        this.logFile = dir.resolve("registry.log");
        Files.writeString(config, config(b), StandardCharsets.UTF_8);
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Anonymous plain-HTTP registry with deletion enabled. */
    public static DockerRegistryServer anonymous(Path dir) {
        return builder(dir).start();
    }

    public static final class Builder {
        private final Path dir;
        private final Map<String, String> users = new LinkedHashMap<>();
        private boolean htpasswd;
        private boolean tls;
        private TestCertificates.SelfSigned certificate;
        private boolean deleteEnabled = true;
        private TokenServer tokenServer;
        private String tokenRealm;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** htpasswd Basic auth with these users (more may follow). */
        public Builder basicAuth(String user, String password) {
            htpasswd = true;
            users.put(user, password);
            return this;
        }

        public Builder tls() {
            tls = true;
            return this;
        }

        /** TLS with a certificate of the test's choosing (a wrong host name, say). */
        public Builder tls(TestCertificates.SelfSigned serverCertificate) {
            tls = true;
            certificate = serverCertificate;
            return this;
        }

        /** Bearer token auth against {@code server}; users are the token server's. */
        public Builder tokenAuth(TokenServer server) {
            tokenServer = server;
            return this;
        }

        /** Bearer token auth against {@code server}, whose realm clients are sent to is {@code realm} (a proxy before it). */
        public Builder tokenAuth(TokenServer server, String realm) {
            tokenServer = server;
            tokenRealm = realm;
            return this;
        }

        public Builder deleteEnabled(boolean enabled) {
            deleteEnabled = enabled;
            return this;
        }

        public DockerRegistryServer start() {
            try {
                DockerRegistryServer server = new DockerRegistryServer(this);
                server.start();
                return server;
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare docker-registry in " + dir, e);
            }
        }
    }

    private String config(Builder b) throws IOException {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: 0.1\n");
        yaml.append("log:\n  level: info\n  accesslog:\n    disabled: false\n");
        yaml.append("storage:\n  filesystem:\n    rootdirectory: ").append(storage).append('\n');
        yaml.append("  delete:\n    enabled: ").append(b.deleteEnabled).append('\n');
        yaml.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        yaml.append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        yaml.append("  secret: ").append(java.util.HexFormat.of().formatHex(secret)).append('\n');
        if (certificate != null) {
            Path cert = certificate.writePem(dir.resolve("tls"));
            yaml.append("  tls:\n    certificate: ").append(cert).append("\n    key: ")
                    .append(cert.resolveSibling("key.pem")).append('\n');
        }
        if (b.htpasswd) {
            Path file = writeHtpasswd(b.users);
            yaml.append("auth:\n  htpasswd:\n    realm: wharf-test\n    path: ").append(file).append('\n');
        } else if (b.tokenServer != null) {
            yaml.append("auth:\n  token:\n    realm: ").append(tokenRealm)
                    .append("\n    service: ").append(b.tokenServer.service())
                    .append("\n    issuer: ").append(b.tokenServer.issuer())
                    .append("\n    rootcertbundle: ").append(b.tokenServer.rootCertBundle()).append('\n');
        }
        return yaml.toString();
    }

    private Path writeHtpasswd(Map<String, String> passwords) throws IOException {
        Path file = dir.resolve("htpasswd");
        StringBuilder lines = new StringBuilder();
        SecureRandom random = new SecureRandom();
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            // distribution accepts bcrypt only; cost 5 keeps the test registry fast.
            lines.append(user.getKey()).append(':')
                    .append(OpenBSDBCrypt.generate("2y", user.getValue().toCharArray(), salt, 5)).append('\n');
        }
        Files.writeString(file, lines.toString());
        return file;
    }

    /**
     * Replaces the htpasswd users, as a rotated or expired password does, and restarts the registry
     * (docker-registry 2.8 reads the file at its start); the storage and the port stay.
     */
    public synchronized void replaceUsers(Map<String, String> passwords) {
        try {
            writeHtpasswd(passwords);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the htpasswd file in " + dir, e);
        }
        users = Map.copyOf(passwords);
        stop();
        start();
    }

    /** Sends clients to another token realm from now on, as a registry whose auth service moved does; restarts the registry. */
    public synchronized void moveTokenRealm(String realm) {
        tokenRealm = realm;
        try {
            Files.writeString(config, config(settings), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the configuration in " + dir, e);
        }
        stop();
        start();
    }

    /** Starts (or restarts) the registry and waits until {@code /v2/} answers. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(executable.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().keySet().removeIf(k -> k.startsWith("REGISTRY_") || k.startsWith("OTEL_"));
            process = builder.start();
            awaitReady();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start docker-registry: " + e.getMessage() + "\n" + log(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpClient client = probeClient();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ":\n" + log());
            }
            if (WharfProcess.accepts(port)) {
                try {
                    HttpResponse<Void> answer = client.send(HttpRequest.newBuilder(URI.create(url() + "/v2/"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() == 200 || answer.statusCode() == 401) {
                        return;
                    }
                } catch (IOException e) {
                    if (answersTls(e)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for docker-registry", e);
                }
            }
            sleep(50);
        }
        throw new IllegalStateException("docker-registry did not answer on " + url() + " within 30 s:\n" + log());
    }

    private HttpClient probeClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (certificate != null) {
            builder.sslContext(certificate.trustingContext());
        }
        return builder.build();
    }

    /** Any answer proves the registry is up, including a TLS handshake the probe cannot verify. */
    private static boolean answersTls(Exception e) {
        return e instanceof javax.net.ssl.SSLHandshakeException;
    }

    /** Stops the registry (the storage stays), waiting until the process has gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://…} in TLS mode. */
    public String url() {
        return (certificate != null ? "https://" : "http://") + host();
    }

    /** The server certificate in TLS mode. */
    public Optional<TestCertificates.SelfSigned> certificate() {
        return Optional.ofNullable(certificate);
    }

    public Optional<Path> certificatePath() {
        return certificate == null ? Optional.empty() : Optional.of(dir.resolve("tls/cert.pem"));
    }

    /** htpasswd users and their passwords. */
    public Map<String, String> users() {
        return users;
    }

    public Optional<TokenServer> tokenServer() {
        return Optional.ofNullable(tokenServer);
    }

    public Path storageDir() {
        return dir.resolve("storage");
    }

    /** The last 60 lines of the registry's log, for failure messages. */
    public String log() {
        try {
            if (!Files.exists(logFile)) {
                return "(no docker-registry log)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "--- docker-registry log (" + logFile + ") ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
