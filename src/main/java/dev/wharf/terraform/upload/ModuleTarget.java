package dev.wharf.terraform.upload;

import dev.wharf.terraform.layout.ArchiveFormat;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where {@code upload module} sends an archive it built: straight into storage
 * ({@link ModulePublication}) or to a Wharf server's publish API, which runs the same publication.
 */
public interface ModuleTarget {
    /** Whether the version is known to be stored; a target that cannot tell cheaply answers false and lets publish refuse. */
    boolean exists(String namespace, String name, String provider, String version);

    /** Stores the archive; {@link UploadException} for bad input, {@link VersionExistsException} when the version is stored. */
    ModulePublication.Published publish(String where, String namespace, String name, String provider, String version,
                                        ArchiveFormat format, Path archive, Instant created);
}
