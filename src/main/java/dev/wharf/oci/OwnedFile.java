package dev.wharf.oci;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file that a job of this process writes and removes when it is done (a blob on its way into the
 * image layout, a scratch folder's marker), locked for as long as the job holds it. The system drops
 * the lock however the process ends, so a file whose lock another process can take was left by one
 * that was killed (SIGKILL, the OOM killer, a power cut) before it could remove it: {@link Leftovers}
 * removes those, and no file in use.
 *
 * <p>The locks are POSIX record locks ({@link FileChannel#lock()} on Linux), which belong to the
 * process, not the descriptor: when a process closes any descriptor of the file, it drops its lock.
 * So a process must never open a file it owns a second time, and every name this process gives
 * carries its {@link #PROCESS_MARK}, which the sweep passes over without opening.
 */
public final class OwnedFile implements AutoCloseable {
    /** Thirteen characters of [0-9a-z], random for each process (JVM). Immutable. */
    static final String PROCESS_MARK = mark(new SecureRandom().nextLong());

    private static final String MARK = "[0-9a-z]{13}";

    private final Path path;
    private final FileOutputStream out;
    private final FileLock lock;

    private OwnedFile(Path path, FileOutputStream out, FileLock lock) {
        this.path = path;
        this.out = out;
        this.lock = lock;
    }

    /** A name for a file of this process: {@code prefix}, the process's mark, a random number, {@code suffix}. */
    public static String uniqueName(String prefix, String suffix) {
        return prefix + PROCESS_MARK + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + suffix;
    }

    /**
     * Creates {@code target} (which must not exist), locked. It is made under a name no sweep looks
     * at, locked, then renamed: a sweep never sees it unlocked. A crash between the creation and the
     * rename leaves an empty {@code .taking-…} file.
     *
     * <p>The file is written through a {@link FileOutputStream}, not a {@link FileChannel}: a channel
     * is closed by an interrupt of the thread that uses it, and the threads that write these files
     * are interrupted when a server stops (the index is persisted then). The lock is taken on the
     * stream's own channel, the same descriptor, with the thread's interrupt held back meanwhile.
     */
    public static OwnedFile create(Path target) throws IOException {
        Path taking = target.resolveSibling(uniqueName(".taking-", ""));
        Files.createFile(taking, privateTo(taking));
        FileOutputStream out = null;
        boolean interrupted = Thread.interrupted();
        try {
            out = new FileOutputStream(taking.toFile());
            FileLock lock = out.getChannel().lock();
            Files.move(taking, target, StandardCopyOption.ATOMIC_MOVE);
            return new OwnedFile(target, out, lock);
        } catch (IOException | RuntimeException e) {
            if (out != null) {
                out.close();
            }
            Files.deleteIfExists(taking);
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Readable by its owner alone, as {@link Files#createTempFile} makes files (where the file system has POSIX permissions). */
    private static FileAttribute<?>[] privateTo(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    public Path path() {
        return path;
    }

    /**
     * Where to write the file; it stays open until {@link #close()}, so do not close it (closing any
     * descriptor of the file would drop the lock).
     */
    public OutputStream out() {
        return out;
    }

    /**
     * Puts what was written on the disk before the file is renamed into place: after a power cut, a
     * rename the disk kept with content it had not written yet leaves a file of the right name and no
     * bytes (delayed allocation), which no later push would mend.
     */
    public void sync() throws IOException {
        out.flush();
        out.getFD().sync();
    }

    /** Drops the lock and closes the file; it stays where it is, for its job to rename or remove. */
    @Override
    public void close() throws IOException {
        try (out) {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (ClosedChannelException closed) {
            // Closed already: the lock went with it.
        }
    }

    /**
     * The pattern of the names this class gives: {@code prefix}, then a process mark (group 1), a
     * dash and a number, then {@code suffix} ({@code prefix} may itself be a pattern).
     */
    static Pattern names(String prefixPattern, String suffix) {
        return Pattern.compile(prefixPattern + "(" + MARK + ")-[0-9]+" + Pattern.quote(suffix));
    }

    /** Whether {@code name} has the form of {@code names} and another process's mark; names of any other form are no sweep's. */
    static boolean isOthers(Pattern names, String name) {
        Matcher m = names.matcher(name);
        return m.matches() && !m.group(1).equals(PROCESS_MARK);
    }

    static String mark(long random) {
        String digits = Long.toString(random >>> 1, 36).toLowerCase(Locale.ROOT);
        return "0".repeat(13 - digits.length()) + digits;
    }
}
