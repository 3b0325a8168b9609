package dev.wharf.terraform.upload;

import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.oci.archive.RootedFiles;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files {@code upload module} archives from a module directory. A symbolic link that resolves to a
 * file or directory inside the module is archived as what it leads to (the file's content under the
 * link's name), never as a link entry: go-getter, which unpacks module archives for terraform, writes
 * no links of its own, so a link entry would arrive as something other than the user's file. A link
 * that leads out of the module, dangles or loops stops the upload naming the link and its target:
 * boring-registry silently leaves such links out, and the module then installs without a file its
 * author meant to ship ({@code variables.tf -> ../common/variables.tf}).
 */
final class ModuleFiles {
    private static final Set<String> ALWAYS_EXCLUDED = Set.of(".git", ".terraform");

    private ModuleFiles() {
    }

    /**
     * Every file of the module by entry name, each mapped to the real path whose bytes the archive
     * holds. Excluded paths are not looked at, so {@code --exclude} also leaves out a link the upload
     * would refuse.
     */
    static SortedMap<String, Path> walk(Path root, ExcludePatterns excludes) throws IOException {
        Path realRoot = root.toRealPath();
        SortedMap<String, Path> files = new TreeMap<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = joined(root, dir);
                if (ALWAYS_EXCLUDED.contains(String.valueOf(dir.getFileName())) || excludes.excludes(rel, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                checkInside(root, realRoot, dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (excludes.excludes(joined(root, file), false)) {
                    return FileVisitResult.CONTINUE;
                }
                // Following links, the walk hands over a link's own attributes only when its target is missing.
                if (attrs.isSymbolicLink()) {
                    throw refused(root, file, "which does not exist");
                }
                checkInside(root, realRoot, file);
                if (attrs.isRegularFile()) {
                    files.put(RootedFiles.entryName(root, file), file.toRealPath());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof FileSystemLoopException) {
                    throw refused(root, file, "a directory that holds the link itself, so the module would never end");
                }
                throw e;
            }
        });
        return files;
    }

    /** Refuses {@code path} unless it resolves inside the module; only a link can lead elsewhere. */
    private static void checkInside(Path root, Path realRoot, Path path) throws IOException {
        if (!path.toRealPath().startsWith(realRoot)) {
            throw refused(root, path, "which leads out of the module directory " + root);
        }
    }

    private static ArchiveRefusedException refused(Path root, Path link, String why) throws IOException {
        String target = Files.isSymbolicLink(link) ? Files.readSymbolicLink(link).toString() : link.toRealPath().toString();
        return new ArchiveRefusedException("'" + joined(root, link) + "' is a symbolic link to '" + target + "', " + why
                + "; an uploaded module holds what a link leads to, and only from inside the module: put a copy of the file"
                + " in its place, or leave the link out with --exclude");
    }

    /** The path's elements joined by '/', as exclusion patterns see them. */
    static String joined(Path root, Path path) {
        StringBuilder out = new StringBuilder();
        for (Path element : root.relativize(path)) {
            out.append(out.length() == 0 ? "" : "/").append(element);
        }
        return out.toString();
    }
}
