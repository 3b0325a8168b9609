package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anchors, aliases and merge keys in a package's YAML read as go-yaml v2 (under go-ucfg, in EPR)
 * reads them, and alias bombs refused by go-yaml's own rule.
 */
class YamlAnchorsTest {
    @TempDir
    Path dir;

    @Test
    void anAliasIsTheValueItsAnchorHoldsScalarsIncluded() throws Exception {
        JsonNode tree = read("""
                name: &n acme_logs
                title: *n
                port: &p 5044
                again: *p
                base: &b {x: 1, tags: [a, b]}
                copy: *b
                list: &l [one, two]
                items: *l
                """);
        assertThat(tree.path("title").isTextual()).isTrue();
        assertThat(tree.path("title").asText()).isEqualTo("acme_logs");
        assertThat(tree.path("again").isInt()).isTrue();
        assertThat(tree.path("again").asInt()).isEqualTo(5044);
        assertThat(tree.path("copy").toString()).isEqualTo("{\"x\":1,\"tags\":[\"a\",\"b\"]}");
        assertThat(tree.path("items").toString()).isEqualTo("[\"one\",\"two\"]");
    }

    @Test
    void anAliasIsACopyThatDottedKeysChangeAlone() throws Exception {
        JsonNode tree = read("""
                base: &b {x: 1}
                copy: *b
                copy.y: 2
                """);
        assertThat(tree.path("base").toString()).isEqualTo("{\"x\":1}");
        assertThat(tree.path("copy").toString()).isEqualTo("{\"x\":1,\"y\":2}");

        // Nor does an alias see the dotted keys its anchored value took afterwards.
        JsonNode nested = read("""
                a:
                  b: &x {k: 1}
                  b.j: 2
                c: *x
                """);
        assertThat(nested.path("a").path("b").toString()).isEqualTo("{\"k\":1,\"j\":2}");
        assertThat(nested.path("c").toString()).isEqualTo("{\"k\":1}");
    }

    @Test
    void aLaterAnchorOfTheSameNameReplacesTheEarlier() throws Exception {
        JsonNode tree = read("a: &x first\nb: *x\nc: &x second\nd: *x\n");
        assertThat(tree.path("b").asText()).isEqualTo("first");
        assertThat(tree.path("d").asText()).isEqualTo("second");
    }

    @Test
    void mergeKeysPutTheirKeysInAsGoYamlDoes() throws Exception {
        JsonNode tree = read("""
                base: &b {x: 1, y: 2}
                more: &m {x: 9, z: 4}
                after:
                  <<: *b
                  y: 3
                before:
                  y: 3
                  <<: *b
                list:
                  <<: [*b, *m]
                inline:
                  <<: {k: v}
                  w: 1
                quoted:
                  "<<": *b
                """);
        assertThat(tree.path("after").toString()).as("a key after the merge replaces the merged one")
                .isEqualTo("{\"x\":1,\"y\":3}");
        assertThat(tree.path("before").toString()).as("go-yaml v2 puts merged keys over the ones read before")
                .isEqualTo("{\"y\":2,\"x\":1}");
        assertThat(tree.path("list").path("x").asInt()).as("the earlier mapping of a list wins").isEqualTo(1);
        assertThat(tree.path("list").path("y").asInt()).isEqualTo(2);
        assertThat(tree.path("list").path("z").asInt()).isEqualTo(4);
        assertThat(tree.path("inline").toString()).isEqualTo("{\"k\":\"v\",\"w\":1}");
        assertThat(tree.path("quoted").has("<<")).as("a quoted << is a key").isTrue();
        assertThat(tree.path("base").toString()).isEqualTo("{\"x\":1,\"y\":2}");
    }

    @Test
    void aManifestBuiltWithAnchorsAndAMergeKeyIsThePackageEprReads() throws Exception {
        Path root = Files.createDirectories(dir.resolve("p"));
        Files.writeString(root.resolve("manifest.yml"), """
                format_version: 3.1.0
                name: &name acme_logs
                title: *name
                version: 1.0.0
                description: A package.
                type: integration
                categories: [security]
                conditions:
                  kibana:
                    version: &kibana "^8.10.0"
                defaults: &text
                  type: text
                  multi: false
                  required: false
                vars:
                  - <<: *text
                    name: host
                    title: Host
                  - <<: *text
                    name: path
                    title: Path
                    required: true
                """);
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/README.md"), "# P\n");
        PackageDocument p;
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            p = new PackageReader(false, w -> { }).read(files, false);
        }
        JsonNode doc = Json.mapper().valueToTree(p);
        assertThat(doc.path("title").asText()).isEqualTo("acme_logs");
        assertThat(doc.path("vars").get(0).path("type").asText()).isEqualTo("text");
        assertThat(doc.path("vars").get(0).path("name").asText()).isEqualTo("host");
        assertThat(doc.path("vars").get(1).path("required").asBoolean()).isTrue();
        assertThat(doc.path("vars").get(0).path("required").asBoolean()).isFalse();
    }

    @Test
    void refusesWhatGoYamlRefusesWithItsWords() {
        assertRefused("a: 1\nb: *nope\n", "unknown anchor 'nope' referenced");
        assertRefused("a: &x {b: *x}\n", "anchor 'x' value contains itself");
        assertRefused("a: 1\nb:\n  <<: 5\n", "map merge requires map or sequence of maps as the value");
        assertRefused("a: &s text\nb:\n  <<: [*s]\n", "map merge requires map or sequence of maps as the value");
    }

    @Test
    void aliasesOfAliasesAreBoundedByGoYamlsRule() throws Exception {
        // go-yaml reads three levels of ten and refuses four: the fourth is more than 99 % aliases.
        assertThat(read(laughs(3, 10)).path("a3").size()).isEqualTo(10);
        assertRefused(laughs(4, 10), "document contains excessive aliasing");
        // Nine levels of nine name 387 420 489 values in a few hundred bytes.
        assertRefused(laughs(9, 9), "document contains excessive aliasing");
    }

    private static String laughs(int levels, int fanout) {
        StringBuilder yaml = new StringBuilder("a0: &a0 lol\n");
        for (int level = 1; level <= levels; level++) {
            yaml.append('a').append(level).append(": &a").append(level).append(" [");
            for (int i = 0; i < fanout; i++) {
                yaml.append(i == 0 ? "" : ", ").append("*a").append(level - 1);
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    private void assertRefused(String yaml, String problem) {
        assertThatThrownBy(() -> read(yaml)).as("YAML:\n%s", yaml)
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageStartingWith("manifest.yml is not valid YAML: ")
                .hasMessageContaining(problem);
    }

    private JsonNode read(String yaml) throws Exception {
        Path root = Files.createTempDirectory(dir, "pkg");
        Files.writeString(root.resolve("manifest.yml"), yaml, StandardCharsets.UTF_8);
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            return PackageYaml.read(files, "manifest.yml");
        }
    }
}
