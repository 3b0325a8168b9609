package dev.wharf.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What identifies one version of a file read again when it changes: where its link leads, its inode,
 * size and time. A Kubernetes secret's update swaps a symlink, so the time alone would not do.
 */
record FileStamp(Path real, @Nullable Object fileKey, long size, long modified) {
    static FileStamp of(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(file.toRealPath(), attributes.fileKey(), attributes.size(), attributes.lastModifiedTime().toMillis());
        } catch (IOException e) {
            // Gone for a moment (a secret being swapped): a version of its own.
            return new FileStamp(file, e.getClass().getSimpleName(), -1, -1);
        }
    }

    static List<FileStamp> of(List<Path> files) {
        return files.stream().map(FileStamp::of).toList();
    }
}
