package dev.wharf.terraform.mirror;

import java.util.List;

/**
 * One platform's entry in a mirror {@code {version}.json}: the file name (served relative to the
 * JSON) and the hashes terraform checks the download against. A package already stored carries
 * {@code h1:} and {@code zh:}; one the upstream offers but the mirror has yet to pull carries the
 * {@code zh:} of the upstream's signed SHA256SUMS.
 */
public record ArchiveListing(String fileName, List<String> hashes) {
    public ArchiveListing {
        hashes = List.copyOf(hashes);
    }
}
