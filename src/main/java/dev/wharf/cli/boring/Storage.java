package dev.wharf.cli.boring;

import dev.wharf.cli.RegistryStores;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.auth.Credentials;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.oci.registry.RegistrySettings;
import java.nio.file.Path;
import java.util.Optional;

/** Opens the store the storage flags describe: a remote registry, or the embedded image layout. */
final class Storage {
    private Storage() {
    }

    static ArtifactStore open(GlobalOptions options) {
        if (options.registry == null || options.registry.isBlank()) {
            return new ImageLayoutStore(Path.of(options.layoutDir));
        }
        return RegistryStores.open(new RegistrySettings(options.registry, options.insecure, credentials(options)),
                Optional.ofNullable(options.caFile));
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
