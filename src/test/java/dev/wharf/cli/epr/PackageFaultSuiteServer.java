package dev.wharf.cli.epr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.TestPackages;
import dev.wharf.epr.model.Json;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code package-registry -feature-oci-indexer} process of {@link PackageRegistryFaultSuiteTest},
 * and what Fleet and a monitor ask it: the search, a package's zip, {@code /health}. Its registry
 * bounds are 30 s, which no loaded machine reaches, except those the fault a server is for is about.
 * (The boring-registry suite's FaultSuiteServer speaks another protocol and other flags.)
 */
final class PackageFaultSuiteServer implements AutoCloseable {
    /** The zip of the first published package, in every server's index from its start. */
    static final String FIRST_ZIP = zip("1.0.0");
    private static final List<String> CLIENT_BOUNDS = List.of("connect-timeout", "response-timeout", "idle-timeout", "retry-budget");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final WharfProcess process;
    private final int port;

    private PackageFaultSuiteServer(WharfProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts a server in {@code dir} on the registry at {@code registry}, its bounds 30 s but those {@code tight}
     * names (a flag without "-oci-": "response-timeout", "health-timeout"…), and waits until it is ready.
     */
    static PackageFaultSuiteServer start(Path dir, String registry, Map<String, String> tight, Duration deadline) {
        int port = TestPorts.free();
        List<String> args = new ArrayList<>(List.of("package-registry", "-feature-oci-indexer", "-oci-registry", "http://" + registry,
                "-oci-repository", TestPackages.REPOSITORY, "-address", "127.0.0.1:" + port, "-require-package-signatures=false",
                "-log-type", "dev", "-oci-refresh-interval", "300ms", "-oci-health-timeout", tight.getOrDefault("health-timeout", "30s"),
                "-oci-cache-dir", dir.resolve("cache").toString()));
        args.addAll(bounds(tight));
        PackageFaultSuiteServer server = new PackageFaultSuiteServer(WharfProcess.start(dir, Map.of(), args), port);
        server.process.awaitReady(URI.create("http://127.0.0.1:" + port + "/health"), deadline);
        return server;
    }

    /** The registry client's flags, each 30 s unless {@code tight} names it. */
    static List<String> bounds(Map<String, String> tight) {
        List<String> args = new ArrayList<>();
        for (String bound : CLIENT_BOUNDS) {
            args.addAll(List.of("-oci-" + bound, tight.getOrDefault(bound, "30s")));
        }
        return args;
    }

    static String zip(String version) {
        return "/epr/acme_logs/acme_logs-" + version + ".zip";
    }

    String output() {
        return process.output();
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    JsonNode health() throws Exception {
        return Json.mapper().readTree(get("/health").body());
    }

    boolean listed(String version) throws Exception {
        for (JsonNode p : Json.mapper().readTree(get("/search?package=acme_logs&all=true").body())) {
            if (p.get("version").asText().equals(version)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why the server does not serve {@code version} as the registry holds it ({@code zip}: listed, the zip byte for byte,
     * /health "healthy"); empty when it does. A failed answer or a broken transfer is "not yet", not a failure.
     */
    Optional<String> notServing(String version, byte[] zip) throws Exception {
        try {
            if (!listed(version)) {
                return Optional.of(version + " is not listed");
            }
            HttpResponse<byte[]> answer = get(zip(version));
            if (answer.statusCode() != 200 || !Arrays.equals(answer.body(), zip)) {
                return Optional.of("zip: " + answer.statusCode() + ", " + answer.body().length + " bytes");
            }
            JsonNode report = health();
            return report.get("status").asText().equals("healthy") ? Optional.empty() : Optional.of(report.toString());
        } catch (IOException e) {
            return Optional.of("a transfer broke: " + e);
        }
    }

    /**
     * Why not every listed package's zip and signature is on the server's disk yet (empty when all are): the fill behind
     * the index fetches them in one round that a fault stops at the first it meets, so until then a fault's first failure
     * may be another package's. Asking for one fetches it, as the fill would.
     */
    Optional<String> notHoldingEveryPackage() throws Exception {
        try {
            for (JsonNode p : Json.mapper().readTree(get("/search?all=true&prerelease=true").body())) {
                for (String file : List.of("download", "signature_path")) {
                    if (p.hasNonNull(file)) {
                        HttpResponse<byte[]> answer = get(p.get(file).asText());
                        if (answer.statusCode() != 200) {
                            return Optional.of(p.get(file).asText() + ": " + answer.statusCode());
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("a transfer broke: " + e);
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
