package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest forms EPR (go-ucfg over YAML) reads and Wharf must read alike. */
class ManifestAsEprReadsItTest {
    @TempDir
    Path dir;

    @Test
    void aSingleCategoryAnEmptyDefaultADotSlashIconAndTheAgentReadAsEprReadsThem() throws Exception {
        Path root = Files.createDirectories(dir.resolve("p"));
        Files.writeString(root.resolve("manifest.yml"), """
                format_version: 3.1.0
                name: p
                title: P
                version: 1.0.0
                description: A package.
                type: integration
                categories: security
                agent:
                  privileges:
                    root: true
                    extra: x
                  foo: bar
                icons:
                  - src: ./img/icon.svg
                    type: image/svg+xml
                vars:
                  - name: empty
                    type: text
                    default:
                  - name: tilde
                    type: text
                    default: ~
                  - name: blank
                    type: text
                    default: ""
                """);
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/README.md"), "# P\n");
        Files.createDirectories(root.resolve("img"));
        Files.writeString(root.resolve("img/icon.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        PackageDocument p;
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            p = new PackageReader(false, w -> { }).read(files, false);
        }
        JsonNode doc = Json.mapper().valueToTree(p);
        assertThat(doc.path("categories").toString()).isEqualTo("[\"security\"]");
        assertThat(doc.path("agent").toString()).as("EPR's PackageAgent holds privileges.root only").isEqualTo("{\"privileges\":{\"root\":true}}");
        assertThat(doc.path("icons").get(0).path("path").asText()).isEqualTo("/package/p/1.0.0/img/icon.svg");
        assertThat(doc.path("vars").get(0).has("default")).as("default: with no value").isFalse();
        assertThat(doc.path("vars").get(1).has("default")).as("default: ~").isFalse();
        assertThat(doc.path("vars").get(2).path("default").asText()).isEmpty();
        assertThat(doc.path("vars").get(2).has("default")).as("default: \"\" is a value").isTrue();
    }

    @Test
    void pathsJoinAsGosPathJoin() {
        assertThat(ImagePaths.joined("/package/p/1.0.0", "img/i.svg")).isEqualTo("/package/p/1.0.0/img/i.svg");
        assertThat(ImagePaths.joined("/package/p/1.0.0", "/img//i.svg")).isEqualTo("/package/p/1.0.0/img/i.svg");
        assertThat(ImagePaths.joined("/package/p/1.0.0", "./img/./i.svg")).isEqualTo("/package/p/1.0.0/img/i.svg");
        assertThat(ImagePaths.joined("/package/p/1.0.0", "img/../i.svg")).isEqualTo("/package/p/1.0.0/i.svg");
    }
}
