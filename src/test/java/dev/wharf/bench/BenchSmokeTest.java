package dev.wharf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.RequiredTool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps bench/run working: its smoke mode starts docker-registry, nginx and Wharf (from this test's
 * class path, since the jar is built after the tests), seeds tiny data and must produce the table of
 * figures 1-4, the flat layout's and the replicas'. Whether the targets are met is not asked: a smoke
 * run of a second per figure on a busy CI machine measures nothing; bench/run without --smoke does.
 */
class BenchSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void smokeRunProducesTheTableOfItsFigures() throws Exception {
        RequiredTool.require("docker-registry", "docker-registry");
        RequiredTool.require("nginx", "nginx-light");
        RequiredTool.require("wrk", "wrk");
        RequiredTool.require("python3", "python3");
        RequiredTool.require("curl", "curl");
        RequiredTool.require("gpg", "gpg");
        Path results = tmp.resolve("RESULTS.md");
        Path log = tmp.resolve("bench.log");
        // Every figure of the default full run but publish (BenchPublishSmokeTest runs it) and image (ContainerImageTest builds
        // the image; the figure needs the jar, which is built after these tests).
        List<String> command = new ArrayList<>(List.of("bench/run", "--smoke", "--figures", "1,2,3,flat,replicas", "--cold-starts", "2",
                "--out", results.toString(),
                "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--classpath", classPath()));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(360, TimeUnit.SECONDS)) {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
            run.waitFor(20, TimeUnit.SECONDS);
            throw new AssertionError("bench/run --smoke did not finish within 360 s:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        // 0: targets met, 2: a target missed (expected on a loaded machine), 1: the harness broke.
        assertThat(run.exitValue()).as(output).isIn(0, 2);
        String table = Files.readString(results, StandardCharsets.UTF_8);
        assertThat(table).as(output)
                .contains("| fig | measure | Wharf | baseline | ratio | target | met |")
                .contains("- machine: ").contains("- JDK: ")
                .containsPattern("\\| 1 \\| module versions \\(\\d+ B\\) \\| \\d+ req/s, p99 [\\d.]+ ms \\| nginx \\d+ req/s")
                .containsPattern("\\| 1 \\| provider versions")
                .containsPattern("\\| 1 \\| module versions: p99 at c=\\d+ \\| [\\d.]+ ms \\| nginx [\\d.]+ ms; Javalin alone [\\d.]+ ms \\| [\\d.]+ \\|")
                .containsPattern("\\| 1 \\| provider download/\\{os\\}/\\{arch\\}")
                .containsPattern("\\| 1 \\| EPR /search\\?kibana.version=8.15.0")
                .containsPattern("\\| 1 \\| EPR /categories")
                .containsPattern("\\| 1 \\| discovery /v1/modules/search\\?q=mod \\(\\d+ B\\) \\| \\d+ req/s")
                .containsPattern("- figure 1 UI module page: docker-registry during Wharf's turns \\d+ requests, [\\d.]+ s of CPU; during nginx's \\d+, [\\d.]+ s")
                .containsPattern("\\| 1 \\| nginx against itself in the same rounds .*\\| req/s [\\d.]+–[\\d.]+, p99 [\\d.]+–[\\d.]+ over 9 answers \\|")
                .containsPattern("\\| 2 \\| provider zip \\d+ MB, first download.*\\| \\d+ MB/s \\| nginx proxy_pass \\d+ MB/s; direct \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| provider zip \\d+ MB streamed .*\\| \\d+ MB/s, [\\d.]+ s CPU \\| nginx proxy_pass \\d+ MB/s, [\\d.]+ s CPU; direct \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| provider zip \\d+ MB streamed from the registry: the 1 download from each server before the measured ones "
                        + "\\(not counted\\), in order \\| Wharf \\d+ MB/s \\| nginx proxy_pass \\d+ MB/s; direct \\d+ MB/s \\|")
                .containsPattern("\\| 2 \\| package zip \\(from -oci-cache-dir\\) \\d+ MB: the 1 download .*\\| Wharf \\d+ MB/s \\| direct \\d+ MB/s \\|")
                .containsPattern("\\| 2 \\| CPU per download: .*\\| Wharf [\\d.]+ / [\\d.]+ / [\\d.]+ s; [\\d.]+ \\| nginx [\\d.]+ / [\\d.]+ / [\\d.]+ s; [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| ceiling: SHA-256 .*\\| \\d+ MB/s \\| nginx proxy_pass \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| ceiling: any verifying proxy here .*\\| \\d+ MB/s \\| nginx proxy_pass \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| ceiling: a proxy that hashes on its forwarding thread .*\\| \\d+ MB/s \\| nginx proxy_pass \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| provider zip \\(from --download-cache-dir\\) \\d+ MB.*\\| \\d+ MB/s \\| direct \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| package zip \\(from -oci-cache-dir\\) \\d+ MB.*\\| \\d+ MB/s \\| direct \\d+ MB/s \\| [\\d.]+ \\|")
                .containsPattern("\\| 2 \\| boring-registry -Xmx64m heap: .*\\| \\d+ MB / \\d+ MB \\|")
                .containsPattern("\\| 3 \\| cold start boring-registry .*\\| [\\d.]+ s \\(median of 2 starts; [\\d.]+, [\\d.]+\\) \\|")
                .containsPattern("\\| 3 \\| package-registry restart on its persisted cache \\(\\d+ packages\\) .*\\| [\\d.]+ s \\(median of 2 starts; "
                        + "[\\d.]+, [\\d.]+\\); [\\d.]+ s / [\\d.]+ s \\|")
                .containsPattern("\\| 3 \\| provider versions, \\d+ tags: cold .*\\| \\d+ ms, \\d+ req")
                .containsPattern("\\| 3 \\| EPR index \\d+ versions after 1 push .*\\| [\\d.]+ s, \\d+ req")
                .containsPattern("\\| 4 \\| RSS idle .*\\| \\d+\\.\\d / \\d+\\.\\d MB \\(settled after \\d+ s; at 2 s \\d+ / \\d+ MB\\) \\|")
                .containsPattern("\\| flat \\| module versions \\(\\d+\\), nested layout, \\d+ tags in the repository: cold \\(time, registry requests\\) "
                        + "\\| \\d+ ms, \\d+ req")
                .containsPattern("\\| flat \\| module versions \\(\\d+\\), flat layout, \\d+ tags in the repository: after --cache-tags-ttl expiry "
                        + "\\| \\d+ ms, 1 req")
                .containsPattern("\\| replicas \\| module versions through nginx, 3 replicas \\| \\d+ req/s, p99 [\\d.]+ ms, non-2xx 0 \\| "
                        + "CPU per replica [\\d.]+/[\\d.]+/[\\d.]+ s")
                .containsPattern("\\| replicas \\| staleness after a publish \\(--cache-tags-ttl 2 s\\), per replica \\| \\d+ ms/\\d+ ms/\\d+ ms \\| bound 2000 ms \\|")
                .doesNotContain("harness FAILED");
        // The cached downloads again with each server and curl on cores of their own, where the machine has two.
        assertThat(table).as(output).containsPattern(Runtime.getRuntime().availableProcessors() >= 2
                ? "\\| 2 \\| package zip \\(from -oci-cache-dir\\) \\d+ MB, each server on core 1 and curl on core 0 \\(taskset\\), "
                        + "median of \\d+ \\| \\d+ MB/s \\| direct \\d+ MB/s \\| [\\d.]+ \\|"
                : "figure 2 package zip \\(from -oci-cache-dir\\) pinned: skipped");
    }

    /** This JVM's class path when it holds Wharf's classes (surefire sets it), else the built jar. */
    private static String classPath() {
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry, "dev", "wharf", "cli"))) {
                return cp;
            }
        }
        return System.getProperty("wharf.jar");
    }
}
