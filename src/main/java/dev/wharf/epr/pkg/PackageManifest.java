package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.Versions;
import java.util.List;
import org.semver4j.Semver;

/** A package's {@code manifest.yml}, read into the document the API answers with, and its version. */
record PackageManifest(PackageDocument document, Semver version) {
    /** Fields the registry derives from the package itself: what a manifest says about them is dropped. */
    private static final List<String> DERIVED = List.of("download", "path", "assets", "readme", "signature_path", "data_streams");

    static PackageManifest read(PackageFiles files) throws InvalidPackageException {
        if (!files.isFile("manifest.yml")) {
            throw new InvalidPackageException("no manifest.yml at the package root");
        }
        JsonNode tree = PackageYaml.read(files, "manifest.yml");
        if (!tree.isObject()) {
            throw new InvalidPackageException("manifest.yml is not a YAML mapping");
        }
        ObjectNode manifest = (ObjectNode) tree;
        for (String derived : DERIVED) {
            manifest.remove(derived);
        }
        PackageDocument p;
        try {
            // Bound as YAML is: a single value where a list is expected is a list of one (categories: security), as go-ucfg reads it.
            p = Json.yaml().treeToValue(manifest, PackageDocument.class);
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException("manifest.yml: " + e.getOriginalMessage());
        }
        if (p.name == null || p.name.isBlank()) {
            throw new InvalidPackageException("manifest.yml has no name");
        }
        Semver version = Versions.strict(p.version)
                .orElseThrow(() -> new InvalidPackageException("invalid package version: '" + p.version + "'"));
        return new PackageManifest(p, version);
    }
}
