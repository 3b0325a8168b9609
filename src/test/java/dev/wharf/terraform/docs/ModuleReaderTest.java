package dev.wharf.terraform.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each test module under src/test/resources/terraform-docs/modules, packed as a module archive and
 * read by Wharf, documents exactly what terraform-config-inspect reports for it (its JSON, stored by
 * scripts/terraform-docs-golden under .../expected): root module and every submodule.
 */
class ModuleReaderTest {
    private static final Path RESOURCES = Path.of("src/test/resources/terraform-docs");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"network", "platform", "typed", "quirks", "defaults", "iterations", "templates", "collections", "heredocs"})
    void wharfReadsEachTestModuleAsTerraformConfigInspectDoes(String module) throws IOException {
        Path dir = RESOURCES.resolve("modules").resolve(module);
        ArchiveDocs docs = ArchiveDocsExtractor.read(new ByteArrayInputStream(tarGz(dir)), false, 64L << 20);

        assertThat(docs.root().noteTexts()).isEmpty();
        assertThat(ConfigInspectJson.of(docs.root())).isEqualTo(expected(module));
        List<String> expectedSubmodules = new ArrayList<>();
        try (Stream<Path> files = Files.list(RESOURCES.resolve("expected"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(module + "__")).sorted()
                    .forEach(n -> expectedSubmodules.add("modules/" + n.substring(module.length() + 2, n.length() - ".json".length())));
        }
        assertThat(docs.submodules()).extracting(ModuleDocs::path).containsExactlyElementsOf(expectedSubmodules);
        for (ModuleDocs submodule : docs.submodules()) {
            assertThat(submodule.noteTexts()).isEmpty();
            assertThat(ConfigInspectJson.of(submodule)).as(submodule.path()).isEqualTo(expected(module + "__" + submodule.name()));
        }
    }

    private static JsonNode expected(String name) throws IOException {
        return ConfigInspectJson.reduced(JSON.readTree(RESOURCES.resolve("expected").resolve(name + ".json").toFile()));
    }

    /** Every file under {@code dir}, hidden and backup files too, as a module archive holds them. */
    static byte[] tarGz(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(out))) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }
}
