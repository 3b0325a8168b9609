package dev.wharf.terraform.provider;

import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.Descriptor;
import dev.wharf.oci.Manifest;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The small files of a release read whole from storage (a SHA256SUMS, a signing-keys.json), each
 * the single layer of its manifest; one larger than the limit is a broken release, not a read.
 */
final class SmallFiles {
    private static final int SMALL_FILE_LIMIT = 1 << 20;

    private final ArtifactStore store;

    SmallFiles(ArtifactStore store) {
        this.store = store;
    }

    static Descriptor firstLayer(Manifest manifest, String fileName) {
        if (manifest.layers().isEmpty()) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, fileName + " is stored without a layer");
        }
        return manifest.layers().get(0);
    }

    byte[] read(String repository, Descriptor layer) {
        if (layer.size() < 0 || layer.size() > SMALL_FILE_LIMIT) {
            throw new ProviderException(ProviderException.Reason.BROKEN_RELEASE, "file " + layer.title().orElse(layer.digest().toString())
                    + " in " + repository + " is " + layer.size() + " bytes; at most " + SMALL_FILE_LIMIT + " expected");
        }
        try (InputStream in = store.openBlob(repository, layer.digest())) {
            // Never more than the manifest declares: a registry that sends on is not buffered.
            byte[] content = in.readNBytes((int) layer.size() + 1);
            if (content.length > layer.size()) {
                throw new IOException("the registry sent more than the " + layer.size() + " bytes the manifest declares");
            }
            return content;
        } catch (IOException e) {
            throw new StorageException(StorageException.Kind.CORRUPT, "cannot read " + layer.digest() + " from " + repository + ": " + e.getMessage(), e);
        }
    }
}
