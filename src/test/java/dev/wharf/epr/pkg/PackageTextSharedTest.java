package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.epr.model.DataStream;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Variable;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The index holds every version of every package, and versions repeat most of their text: what two
 * versions say alike is one string in memory, whether it was read from the package (bound fields,
 * and the parts kept as trees, keys and text), or from the persisted index at a restart. Interned
 * strings are the very instances of the same literals, which is what the assertions use.
 */
class PackageTextSharedTest {
    private static final Path PACKAGES = Path.of("src/test/resources/epr/packages/acme_logs");

    private static PackageDocument read(String version) throws Exception {
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(PACKAGES.resolve(version))) {
            return new PackageReader(false, w -> { }).read(files, false);
        }
    }

    @Test
    void twoVersionsOfAPackageShareTheTextTheySayAlike() throws Exception {
        PackageDocument older = read("1.0.0");
        PackageDocument newer = read("1.1.0");

        assertThat(older.title).isSameAs(newer.title).isSameAs("Acme Logs");
        assertThat(older.description).isSameAs(newer.description).isSameAs("Collects access logs from Acme web servers.");
        assertThat(firstDataStream(older).title).isSameAs(firstDataStream(newer).title).isSameAs("Access");
        assertThat(firstPolicyTemplatesDataStream(older)).isSameAs(firstPolicyTemplatesDataStream(newer)).isSameAs("access");
        assertThat(pathsDefault(older).textValue()).isSameAs(pathsDefault(newer).textValue())
                .isSameAs("/var/log/acme/access.log");
        // What differs stays apart.
        assertThat(older.version).isEqualTo("1.0.0");
        assertThat(newer.version).isEqualTo("1.1.0");
    }

    @Test
    void aTreesKeysAreShared() throws Exception {
        try (DirectoryPackageFiles files = new DirectoryPackageFiles(PACKAGES.resolve("1.0.0"))) {
            JsonNode manifest = PackageYaml.read(files, "manifest.yml");
            assertThat(manifest.fieldNames().next()).isSameAs("format_version");
            // A dotted key expanded into its parts: conditions' kibana.version.
            assertThat(manifest.get("conditions").fieldNames().next()).isSameAs("kibana");
        }
    }

    @Test
    void aDocumentReadBackFromThePersistedIndexSharesItsText() throws Exception {
        byte[] persisted = Json.mapper().writeValueAsBytes(read("1.0.0"));
        PackageDocument back = Json.mapper().readValue(persisted, PackageDocument.class);

        assertThat(back.title).isSameAs("Acme Logs");
        assertThat(firstDataStream(back).title).isSameAs("Access");
        // A list of strings, read by Jackson's collection reader, not from a tree.
        assertThat(firstPolicyTemplatesDataStream(back)).isSameAs("access");
        assertThat(pathsDefault(back).textValue()).isSameAs("/var/log/acme/access.log");
    }

    private static DataStream firstDataStream(PackageDocument p) {
        return Objects.requireNonNull(p.dataStreams).get(0);
    }

    private static String firstPolicyTemplatesDataStream(PackageDocument p) {
        return Objects.requireNonNull(Objects.requireNonNull(p.policyTemplates).get(0).dataStreams).get(0);
    }

    /** The first default of the access stream's {@code paths} variable, a tree in the model. */
    private static JsonNode pathsDefault(PackageDocument p) {
        Variable paths = Objects.requireNonNull(Objects.requireNonNull(firstDataStream(p).streams).get(0).vars).get(0);
        assertThat(paths.name).isEqualTo("paths");
        return Objects.requireNonNull(paths.defaultValue).get(0);
    }
}
