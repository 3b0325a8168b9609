package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launchers in {@code bin/} make of the JVM they start, read from its {@code release} file
 * with shell built-ins: the native-heap trim only for the releases that have the option (any other
 * JVM refuses to start with it), the class-data archive only for the JVM that made it, and on
 * JDK 19+ an archive of that JVM's own. The JVMs here are fake: a {@code java} that prints the words
 * it was given, in a folder with the {@code release} file under test, so every release can be tried
 * on any machine.
 */
class LauncherJvmReleaseTest {
    private static final String TRIM = "-XX:TrimNativeHeapInterval=2000";

    @TempDir
    Path dir;
    Path jar;

    @BeforeEach
    void aJarWithAnArchive() throws IOException {
        jar = Files.createDirectories(dir.resolve("dist")).resolve("wharf.jar");
        Files.writeString(jar, "not run: the JVM is fake");
        Files.writeString(jar.resolveSibling("wharf-boring-registry.jsa"), "archive");
        Files.writeString(jar.resolveSibling("wharf-boring-registry.jsa.jvm"), "17.0.15+6-Debian-1deb12u1\n");
    }

    @Test
    void theTrimIsAskedOnlyOfReleasesThatHaveIt() throws Exception {
        assertThat(words(jvm("17.0.14+7\"\n"))).doesNotContain(TRIM);
        assertThat(words(jvm("17.0.15+6-Debian-1deb12u1\"\n"))).contains(TRIM);
        assertThat(words(jvm("21+35\"\n"))).doesNotContain(TRIM);
        assertThat(words(jvm("21.0.1+12\"\n"))).contains(TRIM);
        assertThat(words(jvm("20.0.2+9\"\n"))).doesNotContain(TRIM);
        assertThat(words(jvm("25.0.3+9-LTS\"\n"))).contains(TRIM);
    }

    @Test
    void theArchiveIsMappedOnlyByTheJvmThatMadeIt() throws Exception {
        String archive = "-XX:SharedArchiveFile=" + jar.resolveSibling("wharf-boring-registry.jsa");
        assertThat(words(jvm("17.0.15+6-Debian-1deb12u1\"\n"))).contains(archive, "-Xshare:auto");
        assertThat(words(jvm("17.0.14+7\"\n"))).noneMatch(w -> w.startsWith("-XX:SharedArchiveFile="));
    }

    @Test
    void aReleaseFileWithoutItsLastNewlineIsReadAlike() throws Exception {
        List<String> words = words(jvm("17.0.15+6-Debian-1deb12u1\""));
        assertThat(words).contains(TRIM, "-XX:SharedArchiveFile=" + jar.resolveSibling("wharf-boring-registry.jsa"));
    }

    @Test
    void aJvmWithoutAReleaseFileGetsTheArchiveAndNoTrim() throws Exception {
        List<String> words = words(jvm(null));
        assertThat(words).doesNotContain(TRIM).contains("-XX:SharedArchiveFile=" + jar.resolveSibling("wharf-boring-registry.jsa"));
        assertThat(words.subList(words.size() - 4, words.size())).containsExactly("-jar", jar.toString(), "boring-registry", "server");
    }

    @Test
    void aNewerJvmKeepsAnArchiveOfItsOwnNextToTheJar() throws Exception {
        assertThat(words(jvm("25.0.3+9-LTS\"\n"))).contains("-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + jar.resolveSibling("wharf-25.0.3+9-LTS-boring-registry-server.jsa"));
    }

    /** A fake JVM home whose release file names {@code runtime} (its text after the opening quote), or has none. */
    private Path jvm(String runtime) throws IOException {
        Path home = Files.createTempDirectory(dir, "jvm-");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (runtime != null) {
            Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"" + runtime.replace("\n", "\nOS_NAME=\"Linux\"\n"));
        }
        return java;
    }

    /** The words bin/boring-registry gives {@code java} for {@code server}, one per line as the fake JVM prints them. */
    private List<String> words(Path java) throws Exception {
        Path output = Files.createTempFile(dir, "words-", ".out");
        ProcessBuilder builder = new ProcessBuilder(Path.of("bin", "boring-registry").toAbsolutePath().toString(), "server")
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("WHARF_CLASSPATH");
        builder.environment().put("JAVA", java.toString());
        builder.environment().put("WHARF_JAR", jar.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the launcher ends").isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        return new ArrayList<>(Files.readAllLines(output, StandardCharsets.UTF_8));
    }
}
