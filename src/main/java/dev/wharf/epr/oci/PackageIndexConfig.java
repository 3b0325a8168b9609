package dev.wharf.epr.oci;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.oci.ArtifactConfig;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The config blob {@code package-registry push} writes with a package: the package as
 * {@link dev.wharf.epr.pkg.PackageReader} read it from the zip, as Helm writes a chart's metadata
 * into its config. An indexer that trusts it needs the manifest alone for a new version, not the zip
 * (docs/epr-layout.md), and reads the zip when it is first asked for, checking that it agrees.
 *
 * <p>{@code reader} names the reader's output: it is raised whenever the reader makes another
 * document of the same zip (a field added, a rule fixed), and a config of another number is ignored,
 * so a package pushed by an older Wharf is read from its zip rather than served as that Wharf saw it.
 * {@code validated}: the push checked the package against the package spec.
 */
public record PackageIndexConfig(
        @JsonProperty("reader") int reader,
        @JsonProperty("validated") boolean validated,
        @JsonProperty("document") @Nullable PackageDocument document) {
    public static final String MEDIA_TYPE = "application/vnd.wharf.epr.package.config.v1+json";
    /** Nulls in lists and maps refused, other nulls leaving the field as the reader leaves it when absent. */
    private static final ObjectMapper STRICT = Json.mapper().copy()
            .setDefaultSetterInfo(JsonSetter.Value.construct(Nulls.SKIP, Nulls.FAIL));
    /** Raised with every change to what the reader makes of a zip; PackageIndexConfigTest's golden file says when. */
    public static final int READER = 1;

    /** The config for a package the reader has just read ({@code document} read as unsigned: the signature is the manifest's). */
    public static ArtifactConfig of(PackageDocument document, boolean validated) {
        try {
            return new ArtifactConfig(MEDIA_TYPE, Json.mapper().writeValueAsBytes(new PackageIndexConfig(READER, validated, document)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the config of " + document.name + "-" + document.version, e);
        }
    }

    /**
     * Parses a config blob; throws {@link IOException} with the reason when it is not one. Only a
     * config in the very form {@link #of} writes is taken: its document must read back to the same
     * JSON, so no unknown field, no null where the reader never puts one (in a list, say) and no value
     * of another type is served before the zip is checked, whoever wrote the config.
     */
    static PackageIndexConfig parse(byte[] content) throws IOException {
        JsonNode tree = Json.mapper().readTree(content);
        if (tree == null || !tree.isObject()) {
            throw new IOException("the config is not a JSON object");
        }
        PackageIndexConfig config = STRICT.treeToValue(tree, PackageIndexConfig.class);
        JsonNode document = tree.get("document");
        if (config.document() != null && document != null && !document.equals(Json.mapper().valueToTree(config.document()))) {
            throw new IOException("the config's document is not in the form Wharf writes");
        }
        return config;
    }
}
