package dev.wharf.terraform.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.wharf.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageHashesTest {
    @TempDir
    Path dir;

    /**
     * The reference is terraform itself: {@code terraform providers lock} over a filesystem mirror
     * holding two zips records one {@code h1:} per platform, which must be ours.
     */
    @Test
    void h1MatchesWhatTerraformRecordsInTheLockFile() throws Exception {
        Path mirror = dir.resolve("mirror/registry.example.test/acme/dummy");
        Path linux = TestZips.provider(mirror.resolve("terraform-provider-dummy_1.0.0_linux_amd64.zip"), "dummy", "1.0.0", "linux");
        Path darwin = TestZips.provider(mirror.resolve("terraform-provider-dummy_1.0.0_darwin_arm64.zip"), "dummy", "1.0.0", "darwin");
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("main.tf"), """
                terraform {
                  required_providers {
                    dummy = { source = "registry.example.test/acme/dummy", version = "1.0.0" }
                  }
                }
                """);
        Path cliConfig = Files.writeString(dir.resolve("cli.tfrc"), "");

        runTerraform(work, cliConfig, "providers", "lock", "-fs-mirror=" + dir.resolve("mirror"),
                "-platform=linux_amd64", "-platform=darwin_arm64");

        List<String> recorded = h1HashesIn(Files.readString(work.resolve(".terraform.lock.hcl")));
        assertThat(recorded).hasSize(2);
        assertThat(recorded).containsExactlyInAnyOrder(PackageHashes.h1Of(linux), PackageHashes.h1Of(darwin));
    }

    @Test
    void zhIsTheHexSha256OfTheZip() throws IOException {
        Path zip = TestZips.provider(dir.resolve("p.zip"), "dummy", "1.0.0", "x");
        String expected = dev.wharf.oci.Digest.sha256(Files.readAllBytes(zip)).hex();
        assertThat(PackageHashes.zhOf(zip)).isEqualTo("zh:" + expected);
        assertThat(PackageHashes.of(zip).asList()).containsExactly(PackageHashes.h1Of(zip), "zh:" + expected);
    }

    @Test
    void directoryEntriesAndEntryOrderDoNotChangeH1() throws IOException {
        Path plain = TestZips.write(dir.resolve("plain.zip"), Map.of("a/b.txt", "b", "c.txt", "c"));
        Path withDirs = TestZips.write(dir.resolve("dirs.zip"), new java.util.LinkedHashMap<>(Map.of("c.txt", "c", "a/", "", "a/b.txt", "b")));
        Path changed = TestZips.write(dir.resolve("changed.zip"), Map.of("a/b.txt", "B", "c.txt", "c"));

        assertThat(PackageHashes.h1Of(withDirs)).isEqualTo(PackageHashes.h1Of(plain));
        assertThat(PackageHashes.h1Of(changed)).isNotEqualTo(PackageHashes.h1Of(plain));
    }

    @Test
    void aFileThatIsNotAZipIsRefusedWithItsName() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.zip"), "not a zip");
        assertThatThrownBy(() -> PackageHashes.h1Of(bogus))
                .isInstanceOf(PackageException.class)
                .hasMessageContaining("bogus.zip is not a readable zip archive");
    }

    private static List<String> h1HashesIn(String lockFile) {
        List<String> hashes = new ArrayList<>();
        Matcher m = Pattern.compile("\"(h1:[A-Za-z0-9+/=]+)\"").matcher(lockFile);
        while (m.find()) {
            hashes.add(m.group(1));
        }
        return hashes;
    }

    private static void runTerraform(Path work, Path cliConfig, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(RequiredTool.require("terraform", "terraform (HashiCorp's apt repository)").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().put("TF_CLI_CONFIG_FILE", cliConfig.toString());
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("terraform finished").isTrue();
        assertThat(process.exitValue()).as("terraform %s failed:%n%s", String.join(" ", args), output).isZero();
    }
}
