package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the README's first runs write into the checkout never shows up in {@code git status}. */
class NewcomerFilesIgnoredTest {
    /** The embedded store, the TLS files of step 1, examples/providers/release.sh output, EPR's package folder and cache, terraform's files. */
    private static final List<String> WRITTEN = List.of("data/boring-registry/oci-layout", "cert.pem", "key.pem",
            "packages/my_pkg-1.0.0.zip", ".wharf-epr-cache/index.json", ".terraform/modules/modules.json", ".terraform.lock.hcl",
            "terraform.tfstate", "terraform.tfstate.backup", "release/terraform-provider-dummy_1.0.0/signing-key.asc");

    @Test
    void gitIgnoresEveryFileTheReadmePathWrites() throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "check-ignore", "--no-index"));
        command.addAll(WRITTEN);
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().toList()).as(out).containsExactlyInAnyOrderElementsOf(WRITTEN);
    }

    @Test
    void theImagesDataFolderStaysTracked() throws Exception {
        Process git = new ProcessBuilder("git", "check-ignore", "--no-index", "src/main/jib/data/README").redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(out).isEqualTo(1);
    }
}
