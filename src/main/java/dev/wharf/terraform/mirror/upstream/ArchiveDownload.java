package dev.wharf.terraform.mirror.upstream;

import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider zip streamed from its upstream into a temporary file, hashed on the way and kept only
 * when its SHA-256 is the one its signed SHA256SUMS gives.
 *
 * <p>A download cut part-way (a reset, or the connection closed before Content-Length) is resumed
 * where it stopped, as curl's {@code -C -} and go-getter resume a file: {@code Range: bytes=N-} with
 * {@code If-Range} naming the file as first answered (its ETag when strong, else its Last-Modified;
 * without either a resume could join two versions of the file, so the file is asked again whole). A
 * 206 must hold exactly the rest ({@link ResumedPart}); a 200 is the whole file again (the upstream
 * ignores ranges, or the file changed), and what was read is dropped; so is a 206 that names another
 * file than the If-Range did ({@link IfRange}), and the next try asks for the whole file. The hash runs
 * over the bytes as they are written, so it covers the whole file however many answers it came in. A
 * silent upstream is not tried again: it has already been waited for the idle timeout, which the tries
 * would multiply.
 *
 * <p>A try that failed is followed by a pause before the next ({@link TryPause#after}).
 *
 * <p>A write the local disk refuses is this server's failure, never the upstream's: a
 * {@link StorageException} of kind {@code WRITE_FAILED}.
 */
final class ArchiveDownload {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveDownload.class);

    /** Tries of one download, the first one included; a link that cuts more often than this is not one to mirror from. */
    static final int MAX_TRIES = 4;

    /** The largest provider zip taken from an upstream; the largest published ones are a few hundred MB. */
    static final long MAX_ARCHIVE_BYTES = 2L << 30;

    private final UpstreamHttp http;
    private final TryPause pause;
    private final UpstreamPackage pkg;
    private final Path file;
    private final MessageDigest sha = Digest.newSha256();
    /** Bytes written to {@link #file}, all of them hashed. */
    private long have;
    /** The file's length as its last whole answer gave it; -1 when it gave none. */
    private long length = -1;
    /** The If-Range of a resume: the last whole answer's strong ETag or Last-Modified. */
    private @Nullable IfRange validator;

    private ArchiveDownload(UpstreamHttp http, TryPause pause, UpstreamPackage pkg, Path file) {
        this.http = http;
        this.pause = pause;
        this.pkg = pkg;
        this.file = file;
    }

    /**
     * Streams {@code pkg}'s zip into a new file {@code spool} makes in {@code dir} and returns it once its
     * SHA-256 is {@code expected}; otherwise throws {@link UpstreamException} (or {@link StorageException}
     * when the local disk refused the file) and leaves no file behind.
     */
    static Path fetch(UpstreamHttp http, DownloadSpool spool, TryPause pause, UpstreamPackage pkg, Path dir, String expected) {
        Path temp;
        try {
            temp = spool.create(dir);
        } catch (IOException e) {
            throw StorageException.writeFailed("a temporary file in " + dir + " to download " + pkg.filename() + " from upstream into", e);
        }
        boolean ok = false;
        try {
            ArchiveDownload download = new ArchiveDownload(http, pause, pkg, temp);
            download.run();
            download.check(expected);
            ok = true;
            return temp;
        } finally {
            if (!ok) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The temporary directory is cleaned up with the process anyway.
                }
            }
        }
    }

    private void run() {
        for (int tries = 1; ; tries++) {
            try {
                exchange(tries > 1);
                return;
            } catch (Cut cut) {
                if (tries == MAX_TRIES || Thread.currentThread().isInterrupted()) {
                    throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "downloading " + pkg.filename() + " from "
                            + from() + " was cut " + tries + " times, the last at byte " + have
                            + (length < 0 ? "" : " of " + length) + " (" + cut.getMessage() + "); Wharf tries a download "
                            + MAX_TRIES + " times, resuming where it was cut", cut.failure);
                }
            } catch (Changed changed) {
                if (tries == MAX_TRIES || Thread.currentThread().isInterrupted()) {
                    throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, changed.getMessage() + "; that was the last of "
                            + MAX_TRIES + " tries, so nothing of the download is kept");
                }
                LOG.warn("{}; what was read is dropped and the file asked again whole (try {} of {})", changed.getMessage(), tries + 1,
                        MAX_TRIES);
            }
            pauseAfter(tries);
        }
    }

    private void pauseAfter(int tries) {
        try {
            pause.pause(TryPause.after(tries));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "interrupted while waiting to try " + pkg.filename()
                    + " from " + from() + " again", e);
        }
    }

    /**
     * One request and its answer's body; throws {@link Cut} when the answer stops short, {@link Changed} when a
     * resume's part is of another file.
     */
    private void exchange(boolean again) throws Cut, Changed {
        IfRange resume = have > 0 ? validator : null;
        Map<String, String> headers = resume == null ? Map.of() : Map.of("Range", "bytes=" + have + "-", "If-Range", resume.value());
        HttpResponse<InputStream> response;
        try {
            response = http.stream(pkg.hostname(), pkg.downloadUrl(), headers);
        } catch (UpstreamException e) {
            // A first request unanswered is an upstream that is down; a later one is the cut link again.
            if (again && e.kind() == UpstreamException.Kind.UNREACHABLE && !Thread.currentThread().isInterrupted()) {
                throw new Cut(e);
            }
            throw e;
        }
        try (InputStream in = response.body()) {
            ResumedPart part = null;
            if (resume != null && response.statusCode() == 206) {
                Optional<String> other = resume.mismatch(response.headers());
                if (other.isPresent()) {
                    String reason = pkg.filename() + " from " + from() + " answered the resume at byte " + have + " with "
                            + other.get() + ": the file changed since it was first served";
                    startOver(response, false);
                    throw new Changed(reason);
                }
                part = ResumedPart.of(response.headers().firstValue("Content-Range").orElse(""),
                        response.headers().firstValueAsLong("Content-Length"), have, length,
                        pkg.filename() + " from " + from() + " answered the resume at byte " + have + " with");
            } else {
                UpstreamHttp.requireOk(response, pkg.filename(), in);
                startOver(response, true);
            }
            copy(in, part == null);
            if (part != null && have != part.last() + 1) {
                throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, pkg.filename() + " from " + from()
                        + " ended the resumed part at byte " + have + ", before its Content-Range's end " + part.last()
                        + "; nothing of the download is kept");
            }
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /**
     * What earlier answers gave is dropped. A whole answer's length and validator are the file's; after a part of
     * another file ({@code whole} false) none is known, so the next request asks for the whole file.
     */
    private void startOver(HttpResponse<?> response, boolean whole) {
        have = 0;
        sha.reset();
        length = whole ? response.headers().firstValueAsLong("Content-Length").orElse(-1) : -1;
        validator = whole ? IfRange.of(response.headers()).orElse(null) : null;
    }

    private void copy(InputStream in, boolean truncate) throws Cut, IOException {
        StandardOpenOption mode = truncate ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        OutputStream opened;
        try {
            opened = new DigestOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE, mode), sha);
        } catch (IOException e) {
            throw spoolRefused(e);
        }
        try (LocalWrites out = new LocalWrites(opened)) {
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (HttpTimeoutException silent) {
                    throw silent;
                } catch (IOException e) {
                    throw new Cut(e);
                }
                if (n < 0) {
                    return;
                }
                // Never more than any provider's zip: a body that does not end must not fill the disk before its hash fails.
                if (have + n > MAX_ARCHIVE_BYTES) {
                    throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, pkg.filename() + " from "
                            + from() + " is larger than " + (MAX_ARCHIVE_BYTES >> 30) + " GiB");
                }
                out.write(buffer, 0, n);
                have += n;
            }
        }
    }

    private void check(String expected) {
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(expected)) {
            throw new UpstreamException(UpstreamException.Kind.VERIFICATION_FAILED, pkg.filename()
                    + " from " + from() + " has SHA-256 " + actual + " but its signed SHA256SUMS says " + expected);
        }
    }

    private StorageException spoolRefused(IOException e) {
        return StorageException.writeFailed("the download of " + pkg.filename() + " from " + from() + " to " + file, e);
    }

    /** The spool file's stream, whose failures are the local disk's, told apart from the upstream's reads they interleave with. */
    private final class LocalWrites implements AutoCloseable {
        private final OutputStream out;

        LocalWrites(OutputStream out) {
            this.out = out;
        }

        void write(byte[] bytes, int off, int len) {
            try {
                out.write(bytes, off, len);
            } catch (IOException e) {
                throw spoolRefused(e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw spoolRefused(e);
            }
        }
    }

    private UpstreamException failed(IOException e) {
        return new UpstreamException(UpstreamException.Kind.UNREACHABLE, "downloading " + pkg.filename() + " from "
                + from() + " failed: " + e.getMessage(), e);
    }

    private String from() {
        URI url = pkg.downloadUrl();
        return UpstreamHttp.authority(url);
    }

    /** A resume answered with a part of another file than the one first served: the next try asks for the whole file. */
    private static final class Changed extends Exception {
        private static final long serialVersionUID = 1L;

        Changed(String message) {
            super(message, null, false, false);
        }
    }

    /** An answer that stopped short: the link, not the file, failed, so the download may go on from where it stopped. */
    private static final class Cut extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Exception failure;

        Cut(Exception failure) {
            super(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
