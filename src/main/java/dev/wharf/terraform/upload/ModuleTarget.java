package dev.wharf.terraform.upload;

import dev.wharf.terraform.layout.ArchiveFormat;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where {@code upload module} sends an archive it built: straight into storage
 * ({@link ModulePublication}) or to a Wharf server's publish API, which runs the same publication.
 */
public interface ModuleTarget {
    /** Whether the version is known to be stored; a target that cannot tell cheaply answers false and lets publish refuse. */
    boolean exists(String namespace, String name, String provider, String version);

    /**
     * The module's stored versions, to refuse before any push one that is a stored version to
     * terraform ({@link SamePrecedence}); empty when none are, or when the target cannot tell.
     */
    List<String> storedVersions(String namespace, String name, String provider);

    /** Stores the archive; {@link UploadException} for bad input, {@link VersionExistsException} when the version is stored. */
    ModulePublication.Published publish(String where, String namespace, String name, String provider, String version,
                                        ArchiveFormat format, Path archive, Instant created);
}
