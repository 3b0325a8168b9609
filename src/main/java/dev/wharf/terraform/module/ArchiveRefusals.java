package dev.wharf.terraform.module;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.oci.Digest;
import dev.wharf.oci.archive.ArchiveRefusedException;
import dev.wharf.terraform.StoredFile;
import java.io.IOException;

/**
 * One reader's refusals of stored module archives, kept by the archive's digest: a refusal (a
 * hostile archive, inflation past the limit, a README too large) follows from the bytes and the
 * reader's limits alone, so it holds as long as the reader does, and a page view or API call need
 * not inflate the archive up to the limit again to refuse it; another version holding the same bytes
 * is refused alike. Only {@link ArchiveRefusedException} is kept: a storage failure may pass. Bounded
 * by the messages' weight, 4 M characters.
 */
public final class ArchiveRefusals {
    private static final long CHARACTERS = 4L << 20;

    private final Cache<Digest, String> refused = Caffeine.newBuilder().maximumWeight(CHARACTERS)
            .<Digest, String>weigher((digest, message) -> 128 + message.length()).build();

    /** What reads an archive's bytes. */
    @FunctionalInterface
    public interface ArchiveRead<T> {
        T read() throws IOException;
    }

    /** {@code read}'s answer, or the refusal kept for {@code archive}'s bytes without reading them. */
    public <T> T read(StoredFile archive, ArchiveRead<T> read) throws IOException {
        Digest digest = archive.layer().digest();
        String refusal = refused.getIfPresent(digest);
        if (refusal != null) {
            throw new ArchiveRefusedException(refusal);
        }
        try {
            return read.read();
        } catch (ArchiveRefusedException e) {
            refused.put(digest, String.valueOf(e.getMessage()));
            throw e;
        }
    }
}
