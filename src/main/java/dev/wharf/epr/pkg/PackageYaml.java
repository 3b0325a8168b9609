package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wharf.epr.model.Json;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.io.InputStream;

/**
 * A package's YAML files as EPR reads them: bounded in size, one clear error for broken YAML, and
 * dotted keys expanded into objects as go-ucfg does, at every level, while the file is parsed
 * ({@link ExpandedYamlTree}).
 */
final class PackageYaml {
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    private static final ExpandedYamlTree TREE = new ExpandedYamlTree(Json.yaml());
    private static final AnchoredYamlFactory FACTORY = new AnchoredYamlFactory();

    private PackageYaml() {
    }

    /** {@code path} in {@code files}, parsed, with dotted keys expanded at every level; a missing node when it is empty. */
    static JsonNode read(PackageFiles files, String path) throws InvalidPackageException {
        try {
            if (files.size(path) > MAX_MANIFEST_BYTES) {
                throw new InvalidPackageException(path + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
            }
            try (InputStream in = files.open(path);
                    AnchoredYamlFactory.AnchoredYamlParser parser = (AnchoredYamlFactory.AnchoredYamlParser) FACTORY.createParser(in)) {
                if (parser.nextToken() == null) {
                    return MissingNode.getInstance();
                }
                return TREE.value(parser);
            }
        } catch (JsonProcessingException e) {
            throw new InvalidPackageException(path + " is not valid YAML: " + IoFailures.parseProblem(e));
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
