package dev.wharf.oci.archive;

import java.util.List;

/** What an inspected archive holds: entry names as stored, and the bytes they actually inflated to. */
public record ArchiveContents(List<String> files, List<String> directories, long uncompressedBytes) {
    public ArchiveContents {
        files = List.copyOf(files);
        directories = List.copyOf(directories);
    }
}
