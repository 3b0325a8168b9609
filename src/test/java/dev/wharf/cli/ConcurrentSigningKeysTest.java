package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.http.access.NewToken;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Digest;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.terraform.layout.TerraformLayout;
import dev.wharf.terraform.provider.ProviderService;
import dev.wharf.terraform.provider.SignatureVerifier;
import dev.wharf.terraform.provider.SigningKeys;
import dev.wharf.testing.DockerRegistryServer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.Publishing;
import dev.wharf.testing.TerraformCli;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import dev.wharf.testing.WharfProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code signing-keys.json} is the one tag Wharf rewrites, and a registry has no conditional PUT:
 * keys added at the same time, through one server or through two server processes sharing one
 * docker-registry, must all end up in the list, and terraform must verify a provider signed by any
 * of them.
 */
class ConcurrentSigningKeysTest {
    static final int KEYS_PER_ROUND = 8;
    static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    DockerRegistryServer registry;
    final TerraformLayout layout = TerraformLayout.under("boring-registry");

    @BeforeEach
    void startRegistry() {
        registry = DockerRegistryServer.anonymous(dir.resolve("registry"));
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void keysPutAtOnceThroughOneServerAndTwoProcessesAreAllKeptAndTerraformVerifiesTheLast() throws Exception {
        NewToken admin = Publishing.token("admin", "admin");
        NewToken ci = Publishing.token("ci-acme", "publish:acme/*");
        NewToken reader = Publishing.token("reader", "read");
        Path tokens = Publishing.writeTokens(dir.resolve("tokens.yaml"), admin, ci, reader);
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        Path certFile = certificate.writePem(dir.resolve("tls"));
        List<PgpKeys> keys = new ArrayList<>();
        for (int i = 0; i < 2 * KEYS_PER_ROUND; i++) {
            keys.add(PgpKeys.generate("Wharf key " + i + " <key" + i + "@wharf.invalid>"));
        }
        int otherPort = TestPorts.free();
        int otherTelemetry = TestPorts.free();
        try (ServerCommand.Running server = server(certFile, tokens);
             WharfProcess other = WharfProcess.start(dir.resolve("other"), Map.of(), List.of("boring-registry", "server",
                     "--listen-address", "127.0.0.1:" + otherPort, "--listen-telemetry-address", "127.0.0.1:" + otherTelemetry,
                     "--storage-oci-registry", registry.url(), "--storage-oci-repository", "boring-registry",
                     "--auth-tokens-file", tokens.toString()))) {
            String host = "127.0.0.1:" + server.registry().port();
            URI base = URI.create("https://" + host);
            URI otherBase = URI.create("http://127.0.0.1:" + otherPort);
            HttpClient http = HttpClient.newBuilder().sslContext(certificate.trustingContext()).build();

            // Round one: every key through the one server at once.
            List<URI> oneServer = new ArrayList<>();
            for (int i = 0; i < KEYS_PER_ROUND; i++) {
                oneServer.add(base);
            }
            assertThat(putAtOnce(http, oneServer, keys.subList(0, KEYS_PER_ROUND), admin)).containsOnly(201);
            assertThat(storedKeyIds()).containsAll(idsOf(keys.subList(0, KEYS_PER_ROUND)));

            // Round two: half through this server, half through the other process, at once.
            other.awaitReady(URI.create("http://127.0.0.1:" + otherTelemetry + "/health"), START);
            List<URI> twoServers = new ArrayList<>();
            for (int i = 0; i < KEYS_PER_ROUND; i++) {
                twoServers.add(i % 2 == 0 ? base : otherBase);
            }
            assertThat(putAtOnce(http, twoServers, keys.subList(KEYS_PER_ROUND, 2 * KEYS_PER_ROUND), admin)).containsOnly(201);
            assertThat(storedKeyIds()).as("every key put, none lost").containsExactlyInAnyOrderElementsOf(idsOf(keys));

            // The last key went in through the other process: this server must still accept and serve what it signs.
            PgpKeys last = keys.get(2 * KEYS_PER_ROUND - 1);
            Path sums = release(last);
            String zipName = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
            Publishing.client(base, ci.token(), http).putFiles("/api/v1/providers/acme/dummy/1.0.0",
                    List.of(sums, sums.resolveSibling(sums.getFileName() + ".sig"), sums.resolveSibling(zipName)));
            Path config = dir.resolve("terraformrc.tfrc");
            TerraformCli.writeConfig(config, host, reader.token());
            Path root = Files.createDirectories(dir.resolve("work"));
            Files.writeString(root.resolve("main.tf"), BoringRegistryEndToEndScenarios.providerConfig(host, "1.0.0"));
            TerraformCli.Result init = new TerraformCli(config, certFile).run(root, "init", "-no-color");
            assertThat(init.ok()).as(init.output()).isTrue();
            assertThat(init.output()).contains(SignatureVerifier.primaryKeyId(last.armoredPublicKey()));
            String zipSha = Digest.sha256(Files.readAllBytes(sums.resolveSibling(zipName))).hex();
            assertThat(Files.readString(root.resolve(".terraform.lock.hcl"))).contains("\"zh:" + zipSha + "\"");
        }
    }

    /** One PUT per key, to the server at the same index, all released at once; their statuses. */
    List<Integer> putAtOnce(HttpClient http, List<URI> servers, List<PgpKeys> keys, NewToken admin) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(keys.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                URI url = servers.get(i).resolve("/api/v1/providers/acme/signing-keys");
                String armor = keys.get(i).armoredPublicKey();
                answers.add(pool.submit(() -> {
                    start.await();
                    return Publishing.put(http, url, admin.token(), "application/pgp-keys", HttpRequest.BodyPublishers.ofString(armor));
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                statuses.add(response.statusCode());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The key ids in the namespace's signing-keys.json, read straight from docker-registry. */
    List<String> storedKeyIds() {
        try (ArtifactStore store = new RegistryArtifactStore(new RegistrySettings(registry.url(), false, Optional.empty()))) {
            return new ProviderService(store, layout, new ObjectMapper()).signingKeys("acme").map(SigningKeys::gpgPublicKeys)
                    .orElse(List.of()).stream().map(SigningKeys.GpgPublicKey::keyId).toList();
        }
    }

    static List<String> idsOf(List<PgpKeys> keys) {
        return keys.stream().map(k -> SignatureVerifier.primaryKeyId(k.armoredPublicKey())).toList();
    }

    /** A release of dummy 1.0.0 for linux_amd64 signed by {@code key}; returns its SHA256SUMS. */
    Path release(PgpKeys key) throws Exception {
        Path releaseDir = Files.createDirectories(dir.resolve("release"));
        String zipName = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        byte[] zip = BoringRegistryEndToEndScenarios.providerZip("1.0.0", "#!/bin/sh\necho dummy provider\n");
        Files.write(releaseDir.resolve(zipName), zip);
        byte[] sums = (Digest.sha256(zip).hex() + "  " + zipName + "\n").getBytes(StandardCharsets.UTF_8);
        Path sumsFile = Files.write(releaseDir.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Files.write(releaseDir.resolve(sumsFile.getFileName() + ".sig"), key.detachedSignature(sums));
        return sumsFile;
    }

    ServerCommand.Running server(Path certFile, Path tokens) {
        List<String> args = List.of("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                "--tls-cert-file", certFile.toString(), "--tls-key-file", certFile.resolveSibling("key.pem").toString(),
                "--storage-oci-registry", registry.url(), "--storage-oci-repository", "boring-registry",
                "--auth-tokens-file", tokens.toString());
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args.toArray(String[]::new));
        return command.start();
    }
}
