package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.oci.ChunkSource;
import dev.wharf.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hashing beside the writer still hands out every byte in order, and the last chunk only after the digest matched. */
class ConcurrentlyVerifiedChunksTest {
    private static final int CHUNK = 1024;
    private final ExecutorService hasher = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        hasher.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK + 5, 37 * CHUNK + 999})
    void everyByteArrivesInOrderWhenTheDigestMatches(int size) throws IOException {
        byte[] content = content(size);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ChunkSource chunks = new ConcurrentlyVerifiedChunks(new ByteArrayInputStream(content), Digest.sha256(content), hasher, CHUNK)) {
            for (ByteBuffer chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                received.write(bytes);
            }
            assertThat(chunks.next()).isNull();
        }
        assertThat(received.toByteArray()).isEqualTo(content);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, CHUNK, CHUNK + 1, 4 * CHUNK + 5, 37 * CHUNK + 999})
    void theLastChunkIsWithheldWhenTheContentDoesNotMatch(int size) throws IOException {
        byte[] content = content(size);
        Digest promised = Digest.sha256(content);
        content[size / 2] ^= 1;
        long handedOut = 0;
        try (ChunkSource chunks = new ConcurrentlyVerifiedChunks(new ByteArrayInputStream(content), promised, hasher, CHUNK)) {
            IOException failure = null;
            while (failure == null) {
                try {
                    ByteBuffer chunk = chunks.next();
                    assertThat(chunk).as("the end of a corrupt blob").isNotNull();
                    handedOut += chunk.remaining();
                } catch (IOException e) {
                    failure = e;
                }
            }
            assertThat(failure).hasMessageContaining("does not match its digest " + promised);
        }
        assertThat(handedOut).isLessThan(size);
    }

    @Test
    void anEmptyBlobThatShouldNotBeEmptyFails() {
        Digest promised = Digest.sha256(content(10));
        ChunkSource chunks = new ConcurrentlyVerifiedChunks(new ByteArrayInputStream(new byte[0]), promised, hasher, CHUNK);
        assertThatThrownBy(chunks::next).isInstanceOf(IOException.class).hasMessageContaining("does not match its digest");
    }

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
