package dev.wharf.cli;

import dev.wharf.http.TrustedCertificates;
import dev.wharf.oci.auth.CredentialResolver;
import dev.wharf.oci.registry.RegistryArtifactStore;
import dev.wharf.oci.registry.RegistryCallObserver;
import dev.wharf.oci.registry.RegistrySettings;
import dev.wharf.oci.registry.RetryPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A remote registry store, trusting a private CA from a PEM file on top of the JVM's default trust when given one. */
public final class RegistryStores {
    private RegistryStores() {
    }

    /** With every request to the registry told to {@code observer} (metrics). */
    public static RegistryArtifactStore open(RegistrySettings settings, Optional<Path> caFile, RegistryCallObserver observer) {
        return new RegistryArtifactStore(settings, CredentialResolver.system(settings.explicitCredentials()), RetryPolicy.standard(),
                caFile.isEmpty() || settings.insecure() ? null : TrustedCertificates.withExtra(List.of(caFile.get())), observer);
    }
}
