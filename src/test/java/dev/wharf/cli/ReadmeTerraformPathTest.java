package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.RequiredTool;
import dev.wharf.testing.TerraformCli;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import dev.wharf.testing.ReadmeShell;
import dev.wharf.testing.TestPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's boring-registry path as written: the certificate and server of step 1, the module
 * upload of step 2, {@code examples/providers/release.sh}, then {@code terraform init} with the
 * README's module and provider blocks. Commands come from the README's console blocks and run with
 * {@code sh}; the listen addresses come from variables and the HCL's {@code 127.0.0.1:5601} is
 * pointed at the test's port, the only changes.
 */
class ReadmeTerraformPathTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path work;
    private Process server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void theNewcomerPathInstallsTheModuleAndTheSignedProvider() throws Exception {
        RequiredTool.require("gpg", "gpg");
        RequiredTool.require("zip", "zip");
        RequiredTool.require("openssl", "openssl");
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        List<List<String>> blocks = consoleBlocks(section(readme, "## boring-registry: a newcomer's path"));
        List<String> start = blocks.get(0);
        assertThat(start).hasSize(2);
        run(start.get(0));
        int port = TestPorts.free();
        server = shell(start.get(1), Map.of("BORING_REGISTRY_LISTEN_ADDRESS", "127.0.0.1:" + port,
                "BORING_REGISTRY_LISTEN_TELEMETRY_ADDRESS", "127.0.0.1:" + TestPorts.free()), work.resolve("server.log"));
        awaitDiscovery(port);
        assertThat(blocks.get(1)).containsExactly("bin/boring-registry upload module examples/modules");
        run(blocks.get(1).get(0));
        List<String> release = blocks.stream().filter(b -> b.size() == 1 && b.get(0).startsWith("examples/providers/")).findFirst()
                .orElseThrow();
        assertThat(run(release.get(0))).contains("uploaded provider acme/dummy 1.0.0");

        List<String> hcl = hclBlocks(section(readme, "## boring-registry: a newcomer's path"));
        String moduleBlock = hcl.stream().filter(h -> h.contains("module \"hello\"")).findFirst().orElseThrow();
        String providerBlock = hcl.stream().filter(h -> h.contains("required_providers")).findFirst().orElseThrow();
        Path project = Files.createDirectories(work.resolve("project"));
        Files.writeString(project.resolve("main.tf"), (moduleBlock + "\n" + providerBlock).replace("127.0.0.1:5601", "127.0.0.1:" + port));
        Path cliConfig = Files.writeString(work.resolve("terraform.rc"), "");
        TerraformCli.Result init = new TerraformCli(cliConfig, work.resolve("cert.pem")).run(project, "init", "-no-color");
        assertThat(init.ok()).as(init.output() + "\n" + Files.readString(work.resolve("server.log"))).isTrue();
        assertThat(init.output()).contains("Installed 127.0.0.1:" + port + "/acme/dummy v1.0.0");
        assertThat(project.resolve(".terraform/modules/hello")).isDirectory();

        List<String> search = blocks.stream().filter(b -> b.size() == 1 && b.get(0).startsWith("curl ")).findFirst().orElseThrow();
        assertThat(run(search.get(0).replace("127.0.0.1:5601", "127.0.0.1:" + port)))
                .contains("\"namespace\":\"example\"", "\"name\":\"hello\"", "\"provider\":\"null\"");
    }

    private void awaitDiscovery(int port) throws Exception {
        HttpClient insecure = HttpClient.newBuilder().sslContext(dev.wharf.http.TrustedCertificates.withExtra(List.of(work.resolve("cert.pem")))).build();
        URI discovery = URI.create("https://127.0.0.1:" + port + "/.well-known/terraform.json");
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            assertThat(server.isAlive()).as(Files.readString(work.resolve("server.log"))).isTrue();
            try {
                assertThat(insecure.send(HttpRequest.newBuilder(discovery).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                        .isEqualTo(200);
                return;
            } catch (IOException notYet) {
                assertThat(Instant.now()).as(Files.readString(work.resolve("server.log"))).isBefore(deadline);
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

    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /** Each console block's commands; a line ending in a backslash continues on the next. */
    private static List<List<String>> consoleBlocks(String section) {
        List<List<String>> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```console\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            List<String> commands = new ArrayList<>();
            StringBuilder current = null;
            for (String line : m.group(1).lines().map(String::strip).toList()) {
                if (current == null && line.startsWith("$ ")) {
                    current = new StringBuilder(line.substring(2));
                } else if (current != null) {
                    current.append(' ').append(line);
                } else {
                    continue;
                }
                if (current.toString().endsWith("\\")) {
                    current.setLength(current.length() - 1);
                } else {
                    commands.add(current.toString().replaceAll("\\s+", " ").strip());
                    current = null;
                }
            }
            blocks.add(commands);
        }
        return blocks;
    }

    private static List<String> hclBlocks(String section) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```hcl\\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
