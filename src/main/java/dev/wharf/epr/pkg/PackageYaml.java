package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.wharf.epr.model.Json;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

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
                    AnchoredYamlFactory.AnchoredYamlParser parser = (AnchoredYamlFactory.AnchoredYamlParser) FACTORY.createParser(new StrictUtf8Reader(in))) {
                if (parser.nextToken() == null) {
                    return MissingNode.getInstance();
                }
                return TREE.value(parser);
            }
        } catch (JsonProcessingException e) {
            StrictUtf8Reader.NotUtf8Exception notUtf8 = notUtf8(e);
            if (notUtf8 != null) {
                throw new InvalidPackageException(path + " is not UTF-8 text: " + notUtf8.getMessage());
            }
            throw new InvalidPackageException(path + " is not valid YAML: " + IoFailures.parseProblem(e));
        } catch (StrictUtf8Reader.NotUtf8Exception e) {
            throw new InvalidPackageException(path + " is not UTF-8 text: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidPackageException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** SnakeYAML wraps a reader's failure in its own exception, and Jackson that in a parse error. */
    private static StrictUtf8Reader.@Nullable NotUtf8Exception notUtf8(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StrictUtf8Reader.NotUtf8Exception found) {
                return found;
            }
        }
        return null;
    }
}
