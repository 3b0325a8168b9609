package dev.wharf.cli.boring;

import dev.wharf.terraform.layout.ArchiveFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every boring-registry command takes: output and the seed's storage flags. */
public final class GlobalOptions {
    @Option(names = "--json", description = "Log as JSON lines (BORING_REGISTRY_JSON)")
    boolean json;

    @Option(names = "--debug", description = "Log debug messages (BORING_REGISTRY_DEBUG)")
    boolean debug;

    @Option(names = "--storage-oci-registry", paramLabel = "HOST",
            description = "OCI registry hostname, e.g. registry.example.com (BORING_REGISTRY_STORAGE_OCI_REGISTRY)."
                    + " Without it, storage is the embedded OCI image layout in --storage-oci-layout-dir")
    String registry;

    @Option(names = "--storage-oci-repository", defaultValue = "boring-registry", paramLabel = "PATH",
            description = "Base repository path in the registry (BORING_REGISTRY_STORAGE_OCI_REPOSITORY; default ${DEFAULT-VALUE})")
    String repository;

    @Option(names = "--storage-oci-username", paramLabel = "USER", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Username for registry authentication (BORING_REGISTRY_STORAGE_OCI_USERNAME or OCI_REGISTRY_USERNAME)")
    String username;

    @Option(names = "--storage-oci-password", paramLabel = "PASSWORD", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Password for registry authentication (BORING_REGISTRY_STORAGE_OCI_PASSWORD or OCI_REGISTRY_PASSWORD)")
    String password;

    @Option(names = "--storage-oci-token", paramLabel = "TOKEN", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
            description = "Token for registry authentication (BORING_REGISTRY_STORAGE_OCI_TOKEN or OCI_REGISTRY_TOKEN)")
    String token;

    @Option(names = "--storage-oci-insecure", fallbackValue = "true", arity = "0..1",
            description = "Allow plain HTTP and untrusted certificates to the registry (BORING_REGISTRY_STORAGE_OCI_INSECURE; default false)")
    boolean insecure;

    @Option(names = "--storage-oci-ca-file", paramLabel = "PEM",
            description = "PEM file of CA certificates to trust for the registry, in addition to the JVM's default trust"
                    + " (BORING_REGISTRY_STORAGE_OCI_CA_FILE)")
    Path caFile;

    @Option(names = "--storage-oci-layout-dir", defaultValue = "./data", paramLabel = "DIR",
            description = "Directory of the embedded OCI image layout, used when no --storage-oci-registry is given"
                    + " (BORING_REGISTRY_STORAGE_OCI_LAYOUT_DIR; default ${DEFAULT-VALUE})")
    String layoutDir;

    @Option(names = "--storage-module-archive-format", defaultValue = "tar.gz", paramLabel = "EXT", converter = ArchiveFormats.class,
            description = "Module archive format, without the leading dot: tar.gz (or tgz) or zip. Uploads write it; the server"
                    + " assumes it for module layers whose media type and title do not say (BORING_REGISTRY_STORAGE_MODULE_ARCHIVE_FORMAT;"
                    + " default ${DEFAULT-VALUE})")
    ArchiveFormat archiveFormat;
}
