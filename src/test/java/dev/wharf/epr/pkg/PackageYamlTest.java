package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PackageYaml} builds, in one pass, exactly the tree that Jackson's {@code readTree} followed
 * by a copy expanding the dotted keys gave (the way it was read before): same nodes, same types,
 * same key order, same errors, for every YAML file of the test packages and for the corners a
 * single pass could get wrong (keys repeated, dotted keys merging into mappings before and after
 * them, scalars of every type, empty and non-mapping documents, broken YAML).
 */
class PackageYamlTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryTestPackageYamlAsBefore() throws Exception {
        List<Path> yamls;
        try (Stream<Path> s = Files.walk(Path.of("src/test/resources"))) {
            yamls = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(yamls).hasSizeGreaterThan(10);
        for (Path yaml : yamls) {
            assertSameAsBefore(Files.readString(yaml));
        }
    }

    @Test
    void expandsDottedKeysAsBefore() throws Exception {
        assertSameAsBefore("conditions:\n  kibana.version: \"^8.10.0\"\n  elastic.subscription: basic\n");
        assertSameAsBefore("a.b: 1\na:\n  c: 2\n");
        assertSameAsBefore("a:\n  c: 2\na.b: 1\na.c.d: 3\n");
        assertSameAsBefore("a.b: 1\na: scalar\na.c: 2\n");
        assertSameAsBefore("a: scalar\na.b.c: 1\n");
        assertSameAsBefore("x.y.z: [1, {p.q: 2, p: {r: 3}}]\nx: {y: {w: 4}}\n");
        assertSameAsBefore("a..b: 1\n.a: 2\na.: 3\n");
        assertSameAsBefore(".: 1\n");
        assertSameAsBefore("list:\n  - k.l: 1\n    k: {m: 2}\n  - plain\n");
    }

    @Test
    void repeatedKeysKeepTheFirstPlaceAndTheLastValueAsBefore() throws Exception {
        assertSameAsBefore("a: {x: 1}\nb: 2\na: {y: 3}\n");
        assertSameAsBefore("a.b: 1\na: {c: 2}\na.b: 3\n");
        assertSameAsBefore("k: 1\nk.j: 2\nk: 3\n");
    }

    @Test
    void aRepeatedKeyIsTakenWithItsLastValueAsEprTakesIt() throws Exception {
        // EPR reads manifest.yml with go-ucfg's yaml.NewConfig (packages/package.go, newPackage; data streams in
        // packages/datastream.go), which calls gopkg.in/yaml.v2's Unmarshal, not UnmarshalStrict: yaml.v2's
        // setMapIndex refuses a key already set only when strict, and otherwise sets it again. So EPR serves the
        // package with the last value, a mapping's replacing the first whole, and so does Wharf.
        Path root = Files.createTempDirectory(dir, "pkg");
        Files.writeString(root.resolve("manifest.yml"), "name: first\nowner:\n  github: a\n  type: elastic\nversion: 1.0.0\n"
                + "name: second\nowner:\n  github: b\n", StandardCharsets.UTF_8);
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            JsonNode manifest = PackageYaml.read(files, "manifest.yml");
            assertThat(manifest.get("name").asText()).isEqualTo("second");
            assertThat(manifest.get("owner").toString()).isEqualTo("{\"github\":\"b\"}");
            assertThat(manifest.get("version").asText()).isEqualTo("1.0.0");
        }
    }

    @Test
    void readsScalarsOfEveryTypeAsBefore() throws Exception {
        assertSameAsBefore("""
                s: text
                q: "1.0"
                i: 42
                n: -7
                big: 12345678901
                huge: 123456789012345678901234567890
                f: 1.0
                e: 1e3
                nan: .nan
                inf: -.inf
                t: true
                y: yes
                off: off
                nul: ~
                nul2: null
                empty:
                oct: 0o17
                hex: 0x1F
                date: 2024-01-01
                bin: !!binary aGVsbG8=
                str: !!str 12
                multi: |
                  line one
                  line two
                folded: >
                  a
                  b
                1: int key
                true: bool key
                """);
    }

    @Test
    void readsOtherDocumentsAsBefore() throws Exception {
        assertSameAsBefore("");
        assertSameAsBefore("# only a comment\n");
        assertSameAsBefore("---\n");
        assertSameAsBefore("~\n");
        assertSameAsBefore("just text\n");
        assertSameAsBefore("- a.b: 1\n- 2\n");
        assertSameAsBefore("--- {a: 1}\n--- {b: 2}\n");
        assertSameAsBefore("{a.b: 1, a: {c: [x, y]}}\n");
    }

    @Test
    void refusesBrokenYamlWithTheSameMessageAsBefore() throws Exception {
        assertSameAsBefore("a: [1, 2\n");
        assertSameAsBefore("a: b: c\n");
        assertSameAsBefore("a:\n  - x\n b: y\n");
        assertSameAsBefore("\tname: tab\n");
        assertSameAsBefore("[".repeat(1500) + "]".repeat(1500) + "\n");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedInOneLineSayingSoAndWhere() throws Exception {
        // "é" in Latin-1, as an editor set to another charset writes it: one byte 0xE9, not UTF-8's two.
        Path root = Files.createTempDirectory(dir, "pkg");
        Files.write(root.resolve("manifest.yml"), "name: nginx\ntitle: Caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            assertThatThrownBy(() -> PackageYaml.read(files, "manifest.yml")).isInstanceOf(InvalidPackageException.class)
                    .hasMessage("manifest.yml is not UTF-8 text: line 2, column 11: byte 0xe9 starts no UTF-8 character");
        }
    }

    @Test
    void theLineOfAByteThatIsNotUtf8CountsEveryLineBreakYamlKnows() throws Exception {
        // Saved with "\r" line ends (or NEL, LS, PS, which YAML and SnakeYAML's marks count too): line 2, as an editor
        // shows it, where counting "\n" alone said line 1, column 23. "\r\n" is one line break.
        for (String lineEnd : List.of("\r", "\r\n", "\n", "\u0085", "\u2028", "\u2029")) {
            Path root = Files.createTempDirectory(dir, "pkg");
            byte[] before = ("name: nginx" + lineEnd + "title: Caf").getBytes(StandardCharsets.UTF_8);
            byte[] after = (lineEnd + "version: 1.0.0" + lineEnd).getBytes(StandardCharsets.UTF_8);
            byte[] file = java.util.Arrays.copyOf(before, before.length + 1 + after.length);
            file[before.length] = (byte) 0xe9;
            System.arraycopy(after, 0, file, before.length + 1, after.length);
            Files.write(root.resolve("manifest.yml"), file);
            try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
                assertThatThrownBy(() -> PackageYaml.read(files, "manifest.yml")).as("line end %s", lineEnd.codePointAt(0))
                        .isInstanceOf(InvalidPackageException.class)
                        .hasMessage("manifest.yml is not UTF-8 text: line 2, column 11: byte 0xe9 starts no UTF-8 character");
            }
        }
    }

    private void assertSameAsBefore(String yaml) throws Exception {
        Path root = Files.createTempDirectory(dir, "pkg");
        Files.writeString(root.resolve("manifest.yml"), yaml, StandardCharsets.UTF_8);
        String before = describe(() -> readAsBefore(root.resolve("manifest.yml")));
        String now;
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(root)) {
            now = describe(() -> PackageYaml.read(files, "manifest.yml"));
        }
        assertThat(now).as("YAML:\n%s", yaml).isEqualTo(before);
    }

    @FunctionalInterface
    private interface Read {
        JsonNode get() throws Exception;
    }

    /** The tree with each node's type, or the error's message. */
    private static String describe(Read read) {
        try {
            return typed(read.get());
        } catch (InvalidPackageException e) {
            return "error: " + e.getMessage();
        } catch (Exception e) {
            return "thrown: " + e;
        }
    }

    private static String typed(JsonNode node) {
        StringBuilder out = new StringBuilder(node.getClass().getSimpleName());
        if (node.isObject()) {
            List<String> fields = new ArrayList<>();
            node.fields().forEachRemaining(f -> fields.add(f.getKey() + "=" + typed(f.getValue())));
            out.append(fields);
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(e -> items.add(typed(e)));
            out.append(items);
        } else {
            out.append('(').append(node).append(')');
        }
        return out.toString();
    }

    /** How PackageYaml read a file before reading it in one pass: readTree, then a copy expanding the dotted keys. */
    private static JsonNode readAsBefore(Path file) throws InvalidPackageException {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode node = Json.yaml().readTree(in);
            return expandDots(node == null ? JsonNodeFactory.instance.objectNode() : node);
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException("manifest.yml is not valid YAML: " + dev.wharf.oci.IoFailures.parseProblem(e));
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read manifest.yml: " + e.getMessage(), e);
        }
    }

    private static JsonNode expandDots(JsonNode node) {
        if (node instanceof ArrayNode array) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            array.forEach(e -> out.add(expandDots(e)));
            return out;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] parts = e.getKey().split("\\.");
            ObjectNode target = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = target.get(parts[i]);
                if (!(next instanceof ObjectNode)) {
                    next = JsonNodeFactory.instance.objectNode();
                    target.set(parts[i], next);
                }
                target = (ObjectNode) next;
            }
            merge(target, parts[parts.length - 1], expandDots(e.getValue()));
        }
        return out;
    }

    private static void merge(ObjectNode target, String key, JsonNode value) {
        JsonNode existing = target.get(key);
        if (existing instanceof ObjectNode existingObject && value instanceof ObjectNode valueObject) {
            valueObject.fields().forEachRemaining(f -> merge(existingObject, f.getKey(), f.getValue()));
        } else {
            target.set(key, value);
        }
    }
}
