package dev.wharf.testing;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Manifest;
import dev.wharf.terraform.layout.TerraformLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Module folders {@code acme/NAME/aws} whose content.txt tells uploads apart, and what storage holds of them. */
public final class TestModules {
    public static final TerraformLayout LAYOUT = TerraformLayout.under("boring-registry");

    private TestModules() {
    }

    public static Path write(Path folder, String name, String version, String content) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("boring-registry.hcl"), "metadata {\n  namespace = \"acme\"\n  name = \"" + name
                + "\"\n  provider = \"aws\"\n  version = \"" + version + "\"\n}\n");
        Files.writeString(folder.resolve("content.txt"), content);
        return folder;
    }

    /** content.txt of the stored zip archive, read through the store (so checked against its digest). */
    public static String storedContent(ArtifactStore store, String name, String version) throws IOException {
        String repository = LAYOUT.moduleRepository("acme", name, "aws");
        Manifest manifest = store.resolve(repository, LAYOUT.moduleTag("acme", name, "aws", version))
                .orElseThrow(() -> new AssertionError("module acme/" + name + "/aws " + version + " is not stored"));
        try (InputStream blob = store.openBlob(repository, manifest.layers().get(0).digest());
                ZipInputStream zip = new ZipInputStream(blob)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().endsWith("content.txt")) {
                    return new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError("no content.txt in the stored archive of " + name + " " + version);
    }
}
