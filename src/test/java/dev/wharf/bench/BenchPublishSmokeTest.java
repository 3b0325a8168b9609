package dev.wharf.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.RequiredTool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code bench/run --figures publish} working (the default smoke run of BenchSmokeTest does
 * not include it): token create, a server with a tokens file, upload module|provider direct and
 * with --server, and the two ratio rows. As there, whether the target is met on tiny data is not
 * asked.
 */
class BenchPublishSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void smokeRunOfThePublishFigureProducesBothRatioRows() throws Exception {
        RequiredTool.require("docker-registry", "docker-registry");
        RequiredTool.require("nginx", "nginx-light");
        RequiredTool.require("wrk", "wrk");
        RequiredTool.require("python3", "python3");
        RequiredTool.require("gpg", "gpg");
        Path results = tmp.resolve("RESULTS.md");
        Path log = tmp.resolve("bench.log");
        List<String> command = List.of("bench/run", "--smoke", "--figures", "publish", "--out", results.toString(),
                "--java", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--classpath", classPath());
        Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!run.waitFor(240, TimeUnit.SECONDS)) {
            run.descendants().forEach(ProcessHandle::destroy);
            run.destroy();
            run.waitFor(20, TimeUnit.SECONDS);
            throw new AssertionError("bench/run --smoke --figures publish did not finish within 240 s:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        // 0: targets met, 2: a target missed (expected on tiny data and a loaded machine), 1: the harness broke.
        assertThat(run.exitValue()).as(output).isIn(0, 2);
        assertThat(Files.readString(results, StandardCharsets.UTF_8)).as(output)
                .containsPattern("\\| publish \\| module archives, \\d+ x \\d+ KB per run.* over HTTP \\(--server\\) \\| [\\d.]+ MB/s \\([\\d.]+ s\\)"
                        + " \\| direct upload module [\\d.]+ MB/s \\([\\d.]+ s\\) \\| [\\d.]+ \\| ≥ 0.8 \\| (yes|MISSED) \\|")
                .containsPattern("\\| publish \\| signed provider release, 4 x \\d+ KB zips.* over HTTP \\(--server\\) \\| [\\d.]+ MB/s"
                        + " \\([\\d.]+ s\\) \\| direct upload provider [\\d.]+ MB/s \\([\\d.]+ s\\) \\| [\\d.]+ \\| ≥ 0.8 \\| (yes|MISSED) \\|")
                .doesNotContain("harness FAILED");
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
