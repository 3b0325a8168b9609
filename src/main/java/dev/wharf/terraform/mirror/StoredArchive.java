package dev.wharf.terraform.mirror;

/** A mirrored provider package as it sits in storage: its repository and tag, and what it is. */
public record StoredArchive(String repository, String tag, String version, String os, String arch) {
    public String platform() {
        return os + "_" + arch;
    }
}
