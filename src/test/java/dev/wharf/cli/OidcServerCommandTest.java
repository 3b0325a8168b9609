package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.oci.Digest;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.OidcIssuer;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TestPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's OIDC and Okta flags, as parsed from a command line: what {@code login.v1} advertises
 * and which bearer tokens the registry APIs take.
 */
class OidcServerCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSIONS = "/v1/modules/example/hello/null/versions";
    private static final String PROVIDER_DOWNLOAD = "/v1/providers/acme/dummy/1.0.0/download/linux/amd64";

    @TempDir
    Path dir;
    private OidcIssuer issuer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws Exception {
        issuer = OidcIssuer.start();
        upload("module", Path.of("examples/modules").toAbsolutePath().toString());
        PgpKeys key = PgpKeys.generate("OIDC test <oidc@wharf.invalid>");
        upload("signing-key", "--namespace", "acme", Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()).toString());
        Path release = Files.createDirectories(dir.resolve("release"));
        String zipName = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(release.resolve(zipName)))) {
            zip.putNextEntry(new ZipEntry("terraform-provider-dummy_v1.0.0"));
            zip.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        }
        String sums = Digest.sha256(Files.readAllBytes(release.resolve(zipName))).hex() + "  " + zipName + "\n";
        Path sumsFile = Files.writeString(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS"), sums);
        Files.write(release.resolve("terraform-provider-dummy_1.0.0_SHA256SUMS.sig"), key.detachedSignature(sums.getBytes(StandardCharsets.UTF_8)));
        upload("provider", "--namespace", "acme", "--filename-sha256sums", sumsFile.toString());
    }

    private void upload(String... args) {
        StringWriter err = new StringWriter();
        List<String> command = new ArrayList<>(List.of("upload", args[0], "--storage-oci-layout-dir", dir.resolve("data").toString()));
        command.addAll(List.of(args).subList(1, args.length));
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(command.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        issuer.close();
    }

    @Test
    void oidcAdvertisesLoginV1AsTerraformExpectsAndTakesOnlyGoodTokens() throws Exception {
        try (ServerCommand.Running server = start("--auth-oidc-issuer", issuer.issuer().toString(), "--auth-oidc-clientid", "wharf-cli",
                "--auth-oidc-scopes", "openid,offline_access", "--login-ports", "10100,10110", "--login-grant-types", "authz_code")) {
            String base = issuer.issuer().toString();
            HttpResponse<String> discovery = get(server, "/.well-known/terraform.json", null);
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(discovery.body())).isEqualTo(JSON.readTree("""
                    {"modules.v1":"/v1/modules/","providers.v1":"/v1/providers/",
                     "login.v1":{"client":"wharf-cli","grant_types":["authz_code"],"authz":"%s/authorize","token":"%s/token",
                                 "ports":[10100,10110],"scopes":["openid","offline_access"]}}""".formatted(base, base)));

            String forged = issuer.forgedToken("mallory", "wharf-cli");
            String expired = issuer.expiredToken("alice", "wharf-cli", Duration.ofMinutes(5));
            String otherAudience = issuer.token("alice", "someone-else", Duration.ofMinutes(5));
            assertRefused(get(server, VERSIONS, null), "authentication required", null);
            assertRefused(get(server, VERSIONS, forged), "signature", forged);
            assertRefused(get(server, VERSIONS, expired), "Expired", expired);
            assertRefused(get(server, VERSIONS, otherAudience), "another audience", otherAudience);
            assertRefused(get(server, "/v1/providers/acme/dummy/versions", forged), "signature", forged);
            assertRefused(get(server, PROVIDER_DOWNLOAD, expired), "Expired", expired);
            String token = issuer.token("alice", "wharf-cli", Duration.ofMinutes(5));
            HttpResponse<String> good = get(server, VERSIONS, token);
            assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
            assertThat(good.body()).contains("\"version\":\"1.0.0\"");
            HttpResponse<String> providers = get(server, "/v1/providers/acme/dummy/versions", token);
            assertThat(providers.statusCode()).as(providers.body()).isEqualTo(200);
            assertThat(providers.body()).contains("\"version\":\"1.0.0\"");
            HttpResponse<String> download = get(server, PROVIDER_DOWNLOAD, token);
            assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
            assertThat(JSON.readTree(download.body()).get("filename").asText()).isEqualTo("terraform-provider-dummy_1.0.0_linux_amd64.zip");
        }
    }

    @Test
    void oktaFlagsCheckTheIssuersTokensForTheRequiredClaimsAndAdvertiseTheLoginFlags() throws Exception {
        try (ServerCommand.Running server = start("--auth-okta-issuer", issuer.issuer().toString(),
                "--auth-okta-claims", "aud=api://wharf,groups=platform", "--login-client", "okta-cli", "--login-scopes", "openid")) {
            JsonNode login = JSON.readTree(get(server, "/.well-known/terraform.json", null).body()).get("login.v1");
            assertThat(login.get("client").asText()).isEqualTo("okta-cli");
            assertThat(login.get("authz").asText()).isEqualTo(issuer.issuer() + "/authorize");
            assertThat(login.get("token").asText()).isEqualTo(issuer.issuer() + "/token");
            assertThat(login.get("ports")).isEqualTo(JSON.readTree("[10000,10010]"));
            assertThat(login.get("grant_types")).isEqualTo(JSON.readTree("[\"authz_code\"]"));

            String member = token("api://wharf", List.of("platform", "dev"));
            String outsider = token("api://wharf", List.of("dev"));
            String elsewhere = token("api://other", List.of("platform"));
            assertThat(get(server, VERSIONS, member).statusCode()).isEqualTo(200);
            assertRefused(get(server, VERSIONS, outsider), "lacks the required claim groups=platform", outsider);
            assertRefused(get(server, VERSIONS, elsewhere), "another audience", elsewhere);
            assertRefused(get(server, VERSIONS, issuer.forgedToken("mallory", "api://wharf")), "signature", null);
        }
    }

    @Test
    void aScopesClaimMapsGroupsToPublishScopesAndATokenWithoutItOnlyReads() throws Exception {
        Path archive = dev.wharf.testing.Publishing.moduleArchive(Path.of("examples/modules/hello").toAbsolutePath(),
                dir.resolve("hello.tar.gz"));
        try (ServerCommand.Running server = start("--auth-oidc-issuer", issuer.issuer().toString(), "--auth-oidc-clientid", "wharf-cli",
                "--auth-oidc-scopes-claim", "groups", "--auth-oidc-scope-map", "platform=publish:acme/*,admins=admin")) {
            String platform = token("wharf-cli", List.of("dev", "platform"));
            String dev = token("wharf-cli", List.of("dev"));
            String direct = token("wharf-cli", List.of("publish:other/*"));
            String noClaim = issuer.token("bob", "wharf-cli", Duration.ofMinutes(5));

            assertThat(putModule(server, "acme/hello/null/2.0.0", platform, archive).statusCode()).isEqualTo(201);
            assertThat(putModule(server, "other/hello/null/2.0.0", platform, archive).statusCode()).isEqualTo(403);
            assertThat(putModule(server, "acme/hello/null/3.0.0", dev, archive).statusCode()).isEqualTo(403);
            assertThat(putModule(server, "acme/hello/null/3.0.0", noClaim, archive).statusCode()).isEqualTo(403);
            // A claim value that is itself a scope grants it, and only it.
            assertThat(putModule(server, "other/hello/null/2.0.0", direct, archive).statusCode()).isEqualTo(201);
            assertThat(putModule(server, "acme/hello/null/3.0.0", direct, archive).statusCode()).isEqualTo(403);
            // Signing keys need admin, which "platform" does not map to.
            String armor = PgpKeys.generate("k <k@wharf.invalid>").armoredPublicKey();
            assertThat(putKey(server, platform, armor).statusCode()).isEqualTo(403);
            assertThat(putKey(server, token("wharf-cli", List.of("admins")), armor).statusCode()).isEqualTo(201);
            // Every valid token still reads, and sees what was published.
            HttpResponse<String> versions = get(server, "/v1/modules/acme/hello/null/versions", noClaim);
            assertThat(versions.statusCode()).isEqualTo(200);
            assertThat(versions.body()).contains("\"version\":\"2.0.0\"").doesNotContain("3.0.0");
        }
    }

    private HttpResponse<String> putKey(ServerCommand.Running server, String token, String armor) throws Exception {
        return dev.wharf.testing.Publishing.put(http, server.registry().localUri().resolve("/api/v1/providers/acme/signing-keys"), token,
                "application/pgp-keys", HttpRequest.BodyPublishers.ofString(armor));
    }

    private HttpResponse<String> putModule(ServerCommand.Running server, String coordinates, String token, Path archive) throws Exception {
        return dev.wharf.testing.Publishing.put(http, server.registry().localUri().resolve("/api/v1/modules/" + coordinates), token,
                "application/gzip", HttpRequest.BodyPublishers.ofFile(archive));
    }

    @Test
    void anIssuerDownAtStartLeavesOtherTokensWorkingAndIsTrustedOnceItAnswers() throws Exception {
        int port = TestPorts.free();
        String address = "http://127.0.0.1:" + port;
        long started = System.nanoTime();
        // It had been exit 1 with "the OIDC issuer at … cannot be reached": an identity provider's outage took the registry
        // down with it, for the static tokens too.
        try (ServerCommand.Running server = start("--auth-oidc-issuer", address, "--auth-oidc-clientid", "wharf-cli",
                     "--auth-static-token", "ci-token");
             LogCapture log = LogCapture.of("dev.wharf.http.oidc")) {
            JsonNode discovery = JSON.readTree(get(server, "/.well-known/terraform.json", null).body());
            assertThat(discovery.get("modules.v1").asText()).isEqualTo("/v1/modules/");
            assertThat(discovery.has("login.v1")).isFalse();
            HttpResponse<String> withStatic = get(server, VERSIONS, "ci-token");
            assertThat(withStatic.statusCode()).as(withStatic.body()).isEqualTo(200);
            // Said on the telemetry address, and no reason to take the pod out of the Service.
            HttpResponse<String> health = health(server, "/health?ready=true");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("degraded");
            assertThat(JSON.readTree(health.body()).get("oidc").asText()).contains("the OIDC issuer at " + address + " cannot be reached");

            try (OidcIssuer late = OidcIssuer.start(port)) {
                String token = late.token("alice", "wharf-cli", Duration.ofMinutes(5));
                HttpResponse<String> early = get(server, VERSIONS, token);
                if (System.nanoTime() - started < Duration.ofSeconds(9).toNanos()) {
                    assertRefused(early, "cannot be checked now: the OIDC issuer at " + address + " cannot be reached", token);
                }
                HttpResponse<String> good = early;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (good.statusCode() != 200 && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                    good = get(server, VERSIONS, token);
                }
                assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
                JsonNode login = JSON.readTree(get(server, "/.well-known/terraform.json", null).body()).get("login.v1");
                assertThat(login.get("authz").asText()).isEqualTo(address + "/authorize");
                assertThat(login.get("token").asText()).isEqualTo(address + "/token");
                // Asked when due, not at every request of the ~150 the wait above made.
                assertThat(late.discoveryRequests()).isBetween(1, 2);
                JsonNode healthy = JSON.readTree(health(server, "/health").body());
                assertThat(healthy.get("status").asText()).isEqualTo("ok");
                assertThat(healthy.has("oidc")).isFalse();
            }
            // The start's one warning was the last until the issuer answered: none for each refused token.
            assertThat(log.lines(Level.INFO)).containsExactly("INFO dev.wharf.http.oidc.IssuerDiscovery the OIDC issuer "
                    + address + " answered: its tokens are accepted from now on");
        }
    }

    @Test
    void oidcAndOktaTogetherOrAMalformedClaimAreRefusedAtStart() {
        assertThat(startFails("--auth-oidc-issuer", issuer.issuer().toString(), "--auth-oidc-clientid", "x",
                "--auth-okta-issuer", issuer.issuer().toString())).contains("only one is allowed at a time");
        assertThat(startFails("--auth-okta-issuer", issuer.issuer().toString(), "--auth-okta-claims", "groups",
                "--login-client", "c")).contains("'groups' is not of the form claim=value");
        assertThat(startFails("--auth-okta-issuer", issuer.issuer().toString())).contains("client");
    }

    @Test
    void anIssuerBehindAPrivateCaIsTrustedThroughTheCaFileForTokensAndTheUisSignIn() throws Exception {
        TestCertificates.SelfSigned companyCa = TestCertificates.localhost();
        Path caFile = Files.writeString(dir.resolve("company-ca.pem"), companyCa.certificatePem());
        try (OidcIssuer companyIssuer = OidcIssuer.startTls(companyCa)) {
            String token = companyIssuer.token("alice", "wharf-cli", Duration.ofMinutes(5));
            // Without the CA the server still starts (an issuer's broken TLS is waited out), and says what mends it.
            try (ServerCommand.Running server = start("--auth-oidc-issuer", companyIssuer.issuer().toString(), "--auth-oidc-clientid", "wharf-cli")) {
                assertRefused(get(server, VERSIONS, token), "--auth-oidc-ca-file", token);
            }
            try (ServerCommand.Running server = start("--auth-oidc-issuer", companyIssuer.issuer().toString(), "--auth-oidc-clientid", "wharf-cli",
                    "--auth-oidc-ca-file", caFile.toString())) {
                HttpResponse<String> good = get(server, VERSIONS, token);
                assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
                // The UI's sign-in redeems its code at the issuer's token endpoint with the same trust.
                HttpResponse<String> begin = get(server, "/ui/sign-in/oidc?next=/ui/", null);
                assertThat(begin.statusCode()).as(begin.body()).isEqualTo(303);
                String pending = begin.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("wharf_ui_login="))
                        .findFirst().orElseThrow();
                String callback = companyIssuer.approveWithoutBrowser(begin.headers().firstValue("Location").orElseThrow());
                HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(java.net.URI.create(callback))
                        .header("Cookie", pending.substring(0, pending.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
                assertThat(signedIn.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("wharf_ui_token=ey"));
            }
        }
        assertThat(startFails("--auth-oidc-ca-file", caFile.toString())).contains("--auth-oidc-ca-file")
                .contains("needs --auth-oidc-issuer, --auth-okta-issuer or --auth-tokens-file");
        assertThat(startFails("--auth-oidc-issuer", issuer.issuer().toString(), "--auth-oidc-clientid", "x",
                "--auth-oidc-ca-file", dir.resolve("missing.pem").toString())).contains("--auth-oidc-ca-file").contains("missing.pem");
    }

    private String token(String audience, List<String> groups) {
        Instant now = Instant.now();
        return issuer.sign(new JWTClaimsSet.Builder().issuer(issuer.issuer().toString()).subject("alice").audience(audience)
                .claim("groups", groups).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
    }

    private ServerCommand.Running start(String... flags) {
        return InProcessRegistry.start(dir.resolve("data"), flags);
    }

    private String startFails(String... flags) {
        try (ServerCommand.Running running = start(flags)) {
            throw new AssertionError("the server started with " + List.of(flags));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private HttpResponse<String> get(ServerCommand.Running server, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.registry().localUri().resolve(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> health(ServerCommand.Running server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.telemetry().localUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(HttpResponse<String> response, String reason, String token) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors.size()).isEqualTo(1);
        assertThat(errors.get(0).asText()).contains(reason);
        if (token != null) {
            assertThat(response.body()).doesNotContain(token);
        }
    }
}
