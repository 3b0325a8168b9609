package dev.wharf.terraform.mirror;

import java.nio.file.Path;

/** One provider package of a local mirror directory, its hashes checked against the directory's JSON. */
public record MirroredArchive(MirrorCoordinates provider, String version, String os, String arch, Path file,
                              PackageHashes hashes) {
    public String platform() {
        return os + "_" + arch;
    }
}
