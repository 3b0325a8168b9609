package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.cli.boring.EnvironmentDefaults;
import dev.wharf.cli.boring.ServerCommand;
import dev.wharf.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code boring-registry server} against careless and hostile input: unknown paths, start lines
 * that must say what is bound, and a password written into the registry address.
 */
class BoringRegistryHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private ServerCommand command(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).setDefaultValueProvider(new EnvironmentDefaults(Map.of())).parseArgs(args);
        return command;
    }

    @Test
    void unknownPathsAre404sInTheProtocolsFormCountedUnderOneRouteAndNeverLoggedAboveDebug() throws Exception {
        List<String> paths = List.of("/nope", "/v1/modules/a/b/c/d/e", "/v1/providers/x", "/v1/files/nothing", "/.well-known/other.json",
                "/v1/modules/acme/vpc/aws/1.0.0/download/extra", "/etc/passwd-like");
        try (ServerCommand.Running running = command("--listen-address", "127.0.0.1:0", "--listen-telemetry-address", "127.0.0.1:0",
                "--storage-oci-layout-dir", dir.resolve("data").toString()).start();
                LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            int sent = 0;
            for (int round = 0; round < 15; round++) {
                for (String path : paths) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(running.registry().localUri().resolve(path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(path).isEqualTo(404);
                    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
                    JsonNode errors = JSON.readTree(r.body()).get("errors");
                    assertThat(errors.size()).as(r.body()).isEqualTo(1);
                    assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception");
                    sent++;
                }
            }
            // A method no route knows is one label too: clients choose methods as freely as paths.
            HttpResponse<String> odd = http.send(HttpRequest.newBuilder(running.registry().localUri().resolve("/nope"))
                    .method("BREW", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(odd.statusCode()).isEqualTo(404);

            assertThat(log.lines(Level.INFO)).as("nothing logged above debug").isEmpty();
            String metrics = http.send(HttpRequest.newBuilder(running.telemetry().localUri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(count(metrics, "GET", "unmatched", 404)).as(metrics).isEqualTo(sent);
            assertThat(count(metrics, "OTHER", "unmatched", 404)).as(metrics).isEqualTo(1);
            assertThat(metrics).doesNotContain("/nope").doesNotContain("passwd").doesNotContain("BREW");
        }
    }

    private static double count(String metrics, String method, String route, int status) {
        Matcher m = Pattern.compile("(?m)^wharf_http_requests_seconds_count\\{method=\"" + method + "\",route=\"" + Pattern.quote(route)
                + "\",status=\"" + status + "\"} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void theStartLineSaysWhatIsBoundNotALoopbackUrl() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String line;
        int port;
        int telemetry;
        try (ServerCommand.Running running = command("--listen-address", ":0", "--listen-telemetry-address", "127.0.0.1:0",
                "--storage-oci-layout-dir", dir.resolve("data").toString()).start()) {
            port = running.registry().port();
            telemetry = running.telemetry().port();
        } finally {
            System.setErr(original);
        }
        line = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("boring-registry listening on")).findFirst()
                .orElseThrow(() -> new AssertionError(captured.toString(StandardCharsets.UTF_8)));
        assertThat(line).contains("listening on *:" + port + " (every interface) (plain HTTP), telemetry on 127.0.0.1:" + telemetry)
                .doesNotContain("http://127.0.0.1:" + port);
    }

    /** An explicit http:// address had sent the registry password in cleartext to any host, though the docs asked for the insecure flag. */
    @Test
    void plainHttpToAnotherMachineNeedsTheInsecureFlag() {
        List<String> args = List.of("upload", "module", "--storage-oci-registry", "http://registry.example.com:5000", "--storage-oci-username",
                "u", "--storage-oci-password", "p", dir.toString());
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("plain HTTP to another machine", "--storage-oci-insecure").doesNotContain("Exception");
    }

    @Test
    void aPasswordInTheRegistryAddressIsRefusedByNameOfTheCredentialFlagsAndNeverEchoed() {
        for (String address : List.of("https://alice:Sw0rdfish-91@registry.example.com", "alice:Sw0rdfish-91@registry.example.com",
                "http://alice@registry.example.com:5000")) {
            for (List<String> args : List.of(List.of("server", "--storage-oci-registry", address),
                    List.of("upload", "module", "--storage-oci-registry", address, dir.toString()))) {
                StringWriter err = new StringWriter();
                StringWriter out = new StringWriter();
                int code = new BoringRegistryCli(Map.of()).commandLine(new PrintWriter(out), new PrintWriter(err, true))
                        .execute(args.toArray(String[]::new));
                assertThat(code).as(err.toString()).isEqualTo(1);
                assertThat(err.toString()).contains("--storage-oci-registry", "holds credentials", "--storage-oci-username",
                        "--storage-oci-password", "--storage-oci-token", "BORING_REGISTRY_STORAGE_OCI_PASSWORD");
                assertThat(err + out.toString()).doesNotContain("Sw0rdfish").doesNotContain("alice").doesNotContain("registry.example.com");
            }
        }
        // The same from the environment.
        StringWriter err = new StringWriter();
        int code = new BoringRegistryCli(Map.of("BORING_REGISTRY_STORAGE_OCI_REGISTRY", "https://bob:Hunter2-x7@registry.example.com"))
                .commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err, true))
                .execute("upload", "module", dir.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("holds credentials").doesNotContain("Hunter2").doesNotContain("bob");
    }
}
