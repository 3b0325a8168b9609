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
    /**
     * Files and directories reached through links, at most: links to directories that hold links to
     * directories repeat what they lead to at every level, so twenty levels of two links each made a
     * walk of a million paths out of a module of a few files.
     */
    static final int MAX_LINKED = 10_000;

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
        int[] linked = {0};
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
                count(linked, root, realRoot, dir, checkInside(root, realRoot, dir));
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
                Path real = checkInside(root, realRoot, file);
                count(linked, root, realRoot, file, real);
                if (attrs.isRegularFile()) {
                    files.put(RootedFiles.entryName(root, file), real);
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

    /** {@code path}'s real path; refused unless it is inside the module, where only a link can lead elsewhere. */
    private static Path checkInside(Path root, Path realRoot, Path path) throws IOException {
        Path real = path.toRealPath();
        if (!real.startsWith(realRoot)) {
            throw refused(root, path, "which leads out of the module directory " + root);
        }
        return real;
    }

    /** Counts {@code path} when a link led to it (its real path is not where it stands); refuses past {@link #MAX_LINKED}. */
    private static void count(int[] linked, Path root, Path realRoot, Path path, Path real) throws ArchiveRefusedException {
        if (real.equals(realRoot.resolve(root.relativize(path)))) {
            return;
        }
        if (++linked[0] > MAX_LINKED) {
            throw new ArchiveRefusedException("the module's symbolic links lead to more than " + MAX_LINKED + " files and directories"
                    + " (a link to a directory repeats all it holds, links in it included), the last '" + joined(root, path)
                    + "'; replace links to directories by the files they hold, or leave them out with --exclude");
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
