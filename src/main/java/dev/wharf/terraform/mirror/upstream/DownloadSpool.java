package dev.wharf.terraform.mirror.upstream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the local file a provider zip is downloaded into, in the mirror's temporary folder. Injected so a
 * test can hand out a file whose writes the disk refuses (a link to {@code /dev/full}), which a root
 * test cannot get from permissions.
 */
@FunctionalInterface
interface DownloadSpool {
    /** A new temporary file in {@code dir}, as the server makes them. */
    DownloadSpool TEMP_FILES = dir -> Files.createTempFile(dir, "upstream-", ".zip");

    Path create(Path dir) throws IOException;
}
