package dev.wharf.cli.epr;

import dev.wharf.oci.ArtifactStore;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The seed's OCI flags (plus {@code -oci-token}), shared by serving and pushing. */
public final class OciOptions {
    @Option(names = {"-oci-registry", "--oci-registry"}, description = "OCI registry (registry.example.com, localhost:5000, or oci-layout:/path).")
    String registry;
    @Option(names = {"-oci-repository", "--oci-repository"}, defaultValue = "packages", description = "Repository within the registry (default: ${DEFAULT-VALUE}).")
    String repository;
    @Option(names = {"-oci-username", "--oci-username"}, description = "Username for the registry.")
    String username;
    @Option(names = {"-oci-password", "--oci-password"}, description = "Password for the registry (prefer EPR_OCI_PASSWORD).")
    String password;
    @Option(names = {"-oci-token", "--oci-token"}, description = "Token for the registry (prefer EPR_OCI_TOKEN).")
    String token;
    @Option(names = {"-oci-insecure", "--oci-insecure"}, arity = "0..1", fallbackValue = "true", description = "Allow plain HTTP and untrusted certificates.")
    boolean insecure;
    @Option(names = {"-oci-ca-file", "--oci-ca-file"}, paramLabel = "PEM", description = "PEM file of CA certificates to trust for the registry, in addition to the JVM's default trust.")
    Path caFile;

    boolean hasRegistry() {
        return registry != null && !registry.isBlank();
    }

    ArtifactStore open() {
        return OciStores.open(registry, insecure, OciStores.credentials(username, password, token), Optional.ofNullable(caFile));
    }
}
