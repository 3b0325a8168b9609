package dev.wharf.oci.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Files read from a directory Wharf was given (a module, a package folder) the way archive entries
 * are read: named by the same rule, and never through a link that leads out of the directory. A
 * link is judged by where the operating system resolves it, so chains of links and links to
 * links are judged right.
 */
public final class RootedFiles {
    private RootedFiles() {
    }

    /**
     * The entry name of {@code file} under {@code root}: its path elements joined by '/', each taken as
     * it is (a backslash in a Linux file name stays a character, and is then refused by
     * {@link EntryNames}, never rewritten into a separator).
     */
    public static String entryName(Path root, Path file) {
        Path relative = root.relativize(file);
        StringBuilder name = new StringBuilder();
        for (Path element : relative) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(element.toString());
        }
        String result = name.toString();
        EntryNames.problem(result).ifPresent(why -> {
            throw new ArchiveRefusedException("file '" + EntryNames.printable(result) + "' " + why
                    + "; it cannot be stored under its name");
        });
        return result;
    }

    /** Whether {@code path} (a link or not) resolves to a place inside {@code root}. */
    public static boolean staysInside(Path root, Path path) {
        try {
            return path.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false; // a dangling link leads nowhere Wharf may read
        }
    }

    /** Whether {@code path} is a symbolic link that resolves outside {@code root} (or nowhere). */
    public static boolean leaves(Path root, Path path) {
        return Files.isSymbolicLink(path) && !staysInside(root, path);
    }

    /**
     * The regular file {@code relative} names under {@code root}, resolved as the operating system
     * would, when it lies inside {@code root}; empty when it does not exist, is not a regular file,
     * or is reached through a link leading out.
     */
    public static Optional<Path> resolve(Path root, String relative) {
        if (EntryNames.problem(relative).isPresent()) {
            return Optional.empty();
        }
        try {
            Path realRoot = root.toRealPath();
            Path candidate = root.resolve(relative);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(realRoot) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
