package dev.wharf.epr.oci;

import dev.wharf.epr.model.PackageDocument;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The package a manifest's config describes ({@link PackageIndexConfig}), when the indexer may serve
 * it without reading the zip first. Any doubt, and the zip is read as before: another media type
 * (a plain {@code oras push}), another reader's output, a push that did not validate while this
 * indexer validates, a name or version other than the tag's, a config that does not parse. The zip
 * itself is checked against the document when it is first downloaded ({@link PackageBlobCache}).
 */
final class ConfigDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDocuments.class);
    /** A package's document is a few kilobytes, tens for the largest integrations; more is not a config of ours. */
    static final long MAX_CONFIG_BYTES = 1024 * 1024;

    private final ArtifactStore store;
    private final String repository;
    private final boolean validate;

    ConfigDocuments(ArtifactStore store, String repository, boolean validate) {
        this.store = store;
        this.repository = repository;
        this.validate = validate;
    }

    /** {@code signed}: the manifest has a signature layer, which the document then names. */
    Optional<PackageDocument> document(Manifest manifest, PackageTag tag, boolean signed) {
        Descriptor config = manifest.config();
        if (config == null || !PackageIndexConfig.MEDIA_TYPE.equals(config.mediaType())) {
            return Optional.empty();
        }
        if (config.size() > MAX_CONFIG_BYTES) {
            LOG.warn("tag {}: its package config is {} bytes, more than {}; reading the zip instead", tag.tag(), config.size(),
                    MAX_CONFIG_BYTES);
            return Optional.empty();
        }
        PackageIndexConfig parsed;
        try {
            Optional<byte[]> embedded = config.embedded();
            parsed = PackageIndexConfig.parse(embedded.isPresent() ? embedded.get() : fetch(config));
        } catch (IOException e) {
            LOG.warn("tag {}: its package config cannot be read ({}); reading the zip instead", tag.tag(), e.getMessage());
            return Optional.empty();
        }
        PackageDocument doc = parsed.document();
        if (parsed.reader() != PackageIndexConfig.READER) {
            LOG.debug("tag {}: its package config is reader {}'s, not {}; reading the zip", tag.tag(), parsed.reader(),
                    PackageIndexConfig.READER);
            return Optional.empty();
        }
        if (validate && !parsed.validated()) {
            LOG.debug("tag {}: pushed without validation; reading the zip to validate it", tag.tag());
            return Optional.empty();
        }
        if (doc == null || !tag.name().equals(doc.name) || !tag.version().equals(doc.version)) {
            LOG.warn("tag {}: its package config describes {}; reading the zip instead", tag.tag(),
                    doc == null ? "nothing" : doc.name + "-" + doc.version);
            return Optional.empty();
        }
        doc.signaturePath = signed ? "/epr/" + doc.name + "/" + doc.name + "-" + doc.version + ".zip.sig" : null;
        return Optional.of(doc);
    }

    /** The config's bytes when the manifest does not embed them; the store checks them against the digest. */
    private byte[] fetch(Descriptor config) throws IOException {
        try (InputStream in = store.openBlob(repository, config)) {
            // Read to its end (where the store checks the digest) unless it outgrows the limit.
            byte[] bytes = in.readNBytes((int) MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new IOException("the config blob is larger than its descriptor says");
            }
            return bytes;
        }
    }
}
