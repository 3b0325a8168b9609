package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.WharfJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers in {@code bin/} and the class-data archive {@code scripts/cds-archive} makes next to
 * the jar, with this test's JVM: classes come from the archive when it is there and fits, and the
 * programs run as before, silently, when it is missing or does not fit the jar; the launchers' JVM
 * defaults apply, and {@code JAVA_OPTS} overrides each.
 */
class LauncherClassDataArchiveTest {
    private static final Duration DEADLINE = Duration.ofMinutes(4);
    private static final String FROM_ARCHIVE = "dev.wharf.cli.Main source: shared objects file";

    @TempDir
    static Path dir;
    static Path jar;

    @BeforeAll
    static void archiveAJar() throws Exception {
        jar = dir.resolve("dist").resolve("wharf.jar");
        Files.createDirectories(jar.getParent());
        WharfJar.writeTo(jar);
        Result made = run(List.of(Path.of("scripts/cds-archive").toAbsolutePath().toString(), jar.toString()), Map.of());
        assertThat(made.exitCode()).as(made.output()).isZero();
        assertThat(jar.resolveSibling("wharf.jsa")).isRegularFile();
    }

    @Test
    void bothLaunchersMapTheArchiveMadeNextToTheJar() throws Exception {
        Result boring = launch("boring-registry", "-Xlog:class+load", "version");
        assertThat(boring.exitCode()).as(boring.output()).isZero();
        assertThat(boring.output()).contains("boring-registry (Wharf)").contains(FROM_ARCHIVE);

        Result epr = launch("package-registry", "-Xlog:class+load", "-version");
        assertThat(epr.exitCode()).as(epr.output()).isZero();
        assertThat(epr.output()).contains("package-registry (Wharf)").contains(FROM_ARCHIVE);
    }

    @Test
    void eachServerMapsAnArchiveOfItsOwnAndOtherCommandsTheOneOfAll() throws Exception {
        assertThat(jar.resolveSibling("wharf-boring-registry.jsa")).isRegularFile();
        assertThat(jar.resolveSibling("wharf-package-registry.jsa")).isRegularFile();

        Result server = launch("boring-registry", "-Xlog:cds", "server", "--help");
        assertThat(server.exitCode()).as(server.output()).isZero();
        assertThat(server.output()).containsPattern(opened(jar.resolveSibling("wharf-boring-registry.jsa")));

        Result serve = launch("package-registry", "-Xlog:cds", "-version");
        assertThat(serve.exitCode()).as(serve.output()).isZero();
        assertThat(serve.output()).containsPattern(opened(jar.resolveSibling("wharf-package-registry.jsa")));

        Result other = launch("boring-registry", "-Xlog:cds", "version");
        assertThat(other.exitCode()).as(other.output()).isZero();
        assertThat(other.output()).containsPattern(opened(jar.resolveSibling("wharf.jsa")));
    }

    @Test
    void javaOptsComeAfterTheLaunchersOptionsAndWin() throws Exception {
        Result off = launch("boring-registry", "-Xshare:off -Xlog:class+load", "version");
        assertThat(off.exitCode()).as(off.output()).isZero();
        assertThat(off.output()).contains("boring-registry (Wharf)").doesNotContain("shared objects file");
    }

    @Test
    void theLaunchersJvmDefaultsAreSetAndJavaOptsOverridesEachOfThem() throws Exception {
        Result defaults = launch("boring-registry", "-XX:+PrintFlagsFinal", "version");
        assertThat(defaults.exitCode()).as(defaults.output()).isZero();
        assertThat(defaults.output()).containsPattern("bool UseSerialGC\\s+= true").containsPattern("uintx NewRatio\\s+= 3\\s")
                .containsPattern("intx TieredStopAtLevel\\s+= 4\\s")
                .containsPattern("size_t InitialHeapSize\\s+= " + (16L << 20) + "\\s")
                .containsPattern("intx Tier3InvocationThreshold\\s+= 1000\\s").containsPattern("intx Tier3CompileThreshold\\s+= 5000\\s")
                .containsPattern("intx Tier4InvocationThreshold\\s+= 50000\\s").containsPattern("intx Tier4BackEdgeThreshold\\s+= 400000\\s")
                .containsPattern("CompileCommand\\s+\\+= option,sun\\.security\\.provider\\.SHA2::implCompress,double,CompileThresholdScaling,0\\.01\\s")
                .containsPattern("uint TrimNativeHeapInterval\\s+= " + (trimsTheNativeHeap(Runtime.version()) ? "2000" : "0") + "\\s");

        // Another collector in JAVA_OPTS replaces the launcher's (two would stop the JVM), and its young generation's
        // ratio with it: G1 sizes its young generation itself unless a ratio is given.
        Result chosen = launch("package-registry", "-XX:+UseG1GC -XX:TieredStopAtLevel=1 -Xms64m -XX:Tier4InvocationThreshold=5000 -XX:+PrintFlagsFinal",
                "-version");
        assertThat(chosen.exitCode()).as(chosen.output()).isZero();
        assertThat(chosen.output()).containsPattern("bool UseG1GC\\s+= true").containsPattern("bool UseSerialGC\\s+= false")
                .containsPattern("uintx NewRatio\\s+= 2\\s+\\{product\\} \\{default\\}")
                .containsPattern("intx TieredStopAtLevel\\s+= 1\\s").containsPattern("size_t InitialHeapSize\\s+= " + (64L << 20) + "\\s")
                .containsPattern("intx Tier4InvocationThreshold\\s+= 5000\\s")
                .contains("package-registry (Wharf)");
    }

    @Test
    void theLaunchersCompileCommandsPrintNothing() throws Exception {
        Result version = launch("boring-registry", "", "version");
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output().strip()).startsWith("boring-registry (Wharf)").doesNotContain("CompileCommand");
    }

    @Test
    void withoutTheArchiveOrWithOneForAnotherJarTheProgramsRunSilently() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other-" + System.nanoTime())).resolve("wharf.jar");
        Files.copy(jar, other);

        // An archive that does not fit the jar (made before the jar last changed): ignored, not reported.
        Files.copy(jar.resolveSibling("wharf.jsa"), other.resolveSibling("wharf.jsa"));
        Files.copy(jar.resolveSibling("wharf.jsa.jvm"), other.resolveSibling("wharf.jsa.jvm"));
        Files.setLastModifiedTime(other, FileTime.from(Instant.now().plusSeconds(60)));
        Result stale = launch(other, "boring-registry", "-Xlog:class+load", "version");
        assertThat(stale.exitCode()).as(stale.output()).isZero();
        assertThat(stale.output()).contains("boring-registry (Wharf)").doesNotContain(FROM_ARCHIVE).doesNotContain("[cds");

        // No archive at all.
        Files.delete(other.resolveSibling("wharf.jsa"));
        Result none = launch(other, "package-registry", "", "-version");
        assertThat(none.exitCode()).as(none.output()).isZero();
        assertThat(none.output().strip()).startsWith("package-registry (Wharf)").doesNotContain("[cds");
    }

    /** The JVMs that have -XX:TrimNativeHeapInterval (others would refuse to start with it). */
    private static boolean trimsTheNativeHeap(Runtime.Version v) {
        return switch (v.feature()) {
            case 17 -> v.update() >= 15;
            case 18, 19, 20 -> false;
            case 21 -> v.update() >= 1;
            default -> v.feature() > 21;
        };
    }

    private static Result launch(String program, String javaOpts, String... args) throws Exception {
        return launch(jar, program, javaOpts, args);
    }

    private static Result launch(Path wharfJar, String program, String javaOpts, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of("bin", program).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("WHARF_JAR", wharfJar.toString(), "JAVA_OPTS", javaOpts));
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs with this test's JVM as JAVA, so the archive is made and used by one and the same JVM. */
    private static Result run(List<String> command, Map<String, String> env) throws Exception {
        Path output = Files.createTempFile(dir, "run-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(dir.toFile());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish within " + DEADLINE + ":\n" + Files.readString(output));
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    /** JDK 17's {@code -Xlog:cds} line for an archive it maps ("Opened archive …"), or JDK 25's ("Opened shared archive file …"). */
    private static Pattern opened(Path archive) {
        return Pattern.compile("Opened (?:archive|shared archive file) " + Pattern.quote(archive.toString()) + "\\.");
    }
}
