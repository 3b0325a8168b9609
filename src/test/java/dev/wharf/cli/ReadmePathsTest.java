package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.WharfProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import dev.wharf.testing.ReadmeShell;
import dev.wharf.testing.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands, taken from its {@code console} blocks and run as written with {@code sh} in a
 * folder that looks like the checkout ({@code bin/} and {@code examples/} linked in). Only the listen
 * address differs: it comes from {@code EPR_ADDRESS}, a variable, so the commands stay verbatim.
 */
class ReadmePathsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws InterruptedException {
        for (Process server : servers) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void packageRegistryOnTheEmbeddedDefaultServesTheExamplePackage() throws Exception {
        List<String> commands = commandsOfSection("## package-registry: Elastic packages", 0);
        assertThat(commands).containsExactly("mkdir -p packages && cp -r examples/packages/hello_logs packages/",
                "bin/package-registry -require-package-signatures=false");
        runAndSearch(commands);
    }

    @Test
    void packageRegistryOnOciStoragePushesWithAWarningAndServesTheExamplePackage() throws Exception {
        List<String> commands = commandsOfSection("## package-registry: Elastic packages", 1);
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).contains(" push ");
        String pushed = run(commands.get(0));
        assertThat(pushed).contains("pushed hello_logs-1.0.0", "warning: hello_logs-1.0.0 has no signature");
        runAndSearch(commands.subList(1, 2));
    }

    @Test
    void skopeoReadsTheEmbeddedStoreAsTheReadmeShows() throws Exception {
        RequiredTool.require("skopeo", "skopeo");
        List<String> upload = commandsOfSection("## boring-registry: a newcomer's path", 1);
        assertThat(upload).containsExactly("bin/boring-registry upload module examples/modules");
        run(upload.get(0));
        List<String> skopeo = commandsOfSection("## How the storage looks", 0);
        assertThat(skopeo).hasSize(1).allSatisfy(c -> assertThat(c).startsWith("skopeo inspect"));
        JsonNode manifest = JSON.readTree(run(skopeo.get(0)));
        assertThat(manifest.path("artifactType").asText()).isEqualTo("application/vnd.wharf.terraform.module.v1");
    }

    private void runAndSearch(List<String> commands) throws Exception {
        int port = TestPorts.free();
        for (String command : commands.subList(0, commands.size() - 1)) {
            run(command);
        }
        Process server = shell(commands.get(commands.size() - 1), Map.of("EPR_ADDRESS", "127.0.0.1:" + port),
                work.resolve("server.log"));
        servers.add(server);
        URI search = URI.create("http://127.0.0.1:" + port + "/search?package=hello_logs");
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            assertThat(server.isAlive()).as(Files.readString(work.resolve("server.log"))).isTrue();
            try {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(search).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 503) {
                    // Listening, first index still loading (its readiness check says so too).
                    throw new IOException("not ready yet: " + answer.body());
                }
                assertThat(answer.statusCode()).isEqualTo(200);
                JsonNode found = JSON.readTree(answer.body());
                assertThat(found).hasSize(1);
                assertThat(found.get(0).path("name").asText()).isEqualTo("hello_logs");
                assertThat(found.get(0).path("version").asText()).isEqualTo("1.0.0");
                return;
            } catch (IOException notYet) {
                assertThat(Instant.now()).as("no answer in time:\n" + Files.readString(work.resolve("server.log"))).isBefore(deadline);
                Thread.sleep(200);
            }
        }
    }

    private String run(String command) throws Exception {
        return new ReadmeShell(work, DEADLINE).run(command);
    }

    private Process shell(String command, Map<String, String> env, Path log) throws IOException {
        return new ReadmeShell(work, DEADLINE).start(command, env, log);
    }

    /** The commands ({@code $ } lines) of the {@code index}-th console block in the README section under {@code heading}. */
    private static List<String> commandsOfSection(String heading, int index) throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : section.lines().toList()) {
            String trimmed = line.strip();
            if (current == null && trimmed.equals("```console")) {
                current = new ArrayList<>();
            } else if (current != null && trimmed.equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null && trimmed.startsWith("$ ")) {
                current.add(trimmed.substring(2));
            }
        }
        assertThat(blocks.size()).as("console blocks under " + heading).isGreaterThan(index);
        return blocks.get(index);
    }
}
