package dev.wharf.cli.boring;

import dev.wharf.cli.RegistryStores;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.ExclusivePublishStore;
import dev.wharf.oci.IoFailures;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistryCallObserver;
import dev.wharf.oci.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;

/** Opens the store the storage flags describe: a remote registry, or the embedded image layout. */
final class Storage {
    private Storage() {
    }

    /** Every publish through it is exclusive per version and read back (see {@link ExclusivePublishStore}). */
    static ArtifactStore open(GlobalOptions options) {
        return open(options, RegistryCallObserver.NONE);
    }

    /** With every request to a remote registry told to {@code observer}. */
    static ArtifactStore open(GlobalOptions options, RegistryCallObserver observer) {
        if (options.registry == null || options.registry.isBlank()) {
            if (options.layoutDir.isBlank()) {
                // Read as "here", the empty flag of an unset script variable would write blobs/,
                // index.json and oci-layout into whatever folder the command ran in.
                throw new IllegalArgumentException("--storage-oci-layout-dir is empty: name a folder, or leave the flag out for ./data");
            }
            return new ExclusivePublishStore(new ImageLayoutStore(Path.of(options.layoutDir)));
        }
        return new ExclusivePublishStore(RegistryStores.open(new RegistrySettings(GlobalOptions.checkedRegistry(options.registry), options.insecure,
                credentials(options), options.timeouts()), Optional.ofNullable(options.caFile), observer));
    }

    /** As {@link #open(GlobalOptions, RegistryCallObserver)}, saying in the server's log which store it is and how it is laid out. */
    static ArtifactStore openForServing(GlobalOptions options, RegistryCallObserver observer, Logger log) {
        if (embedded(options) && !options.layoutDir.isBlank()) {
            createLayoutFolder(Path.of(options.layoutDir).toAbsolutePath().normalize());
        }
        ArtifactStore store = open(options, observer);
        if (embedded(options)) {
            log.info("storage: embedded OCI image layout in {} (no --storage-oci-registry given)", Path.of(options.layoutDir).toAbsolutePath().normalize());
        } else {
            log.info("storage: OCI registry {}, repository {}, layout {}{}", store.describe(), options.terraformLayout().base(),
                    options.repositoryLayout().describe(), options.layoutReason());
            if (options.insecure) {
                log.warn("--storage-oci-insecure: the registry's certificate is not checked and plain HTTP is allowed;"
                        + " for a private CA use --storage-oci-ca-file instead");
            }
        }
        return store;
    }

    /**
     * A folder the embedded store cannot have (under a file, say) is refused at start: the server had
     * started, said it was listening, and answered every request 502.
     */
    private static void createLayoutFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("--storage-oci-layout-dir " + dir + ": " + e.getFile() + " exists and is not a folder");
        } catch (IOException e) {
            throw new IllegalArgumentException("--storage-oci-layout-dir " + dir + ": cannot create the folder: " + IoFailures.describe(e));
        }
    }

    static boolean embedded(GlobalOptions options) {
        return options.registry == null || options.registry.isBlank();
    }

    static Optional<Credentials> credentials(GlobalOptions options) {
        if (options.token != null && !options.token.isEmpty()) {
            return Optional.of(new Credentials.Token(options.token));
        }
        if (options.username != null && !options.username.isEmpty()) {
            if (options.password == null || options.password.isEmpty()) {
                throw new IllegalArgumentException("--storage-oci-username is set but no password"
                        + " (--storage-oci-password, BORING_REGISTRY_STORAGE_OCI_PASSWORD or OCI_REGISTRY_PASSWORD)");
            }
            return Optional.of(new Credentials.Basic(options.username, options.password));
        }
        return Optional.empty();
    }
}
