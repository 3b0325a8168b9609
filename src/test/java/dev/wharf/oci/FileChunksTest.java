package dev.wharf.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileChunksTest {
    /** Three whole chunks and one byte: the last read is short. */
    private static final int SIZE = 3 * FileChunks.CHUNK + 1;

    @TempDir
    Path dir;

    private Path file(int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return Files.write(dir.resolve("blob-" + size), bytes);
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    /** Reads every chunk with {@code buffers} lent, checking each is in the lent buffer. */
    private static byte[] drain(ChunkSource chunks, Supplier<ByteBuffer> buffers, ByteBuffer lent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (chunks) {
            for (ByteBuffer chunk = chunks.next(buffers); chunk != null; chunk = chunks.next(buffers)) {
                assertThat(chunk).as("a chunk in the lent buffer").isSameAs(lent);
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
        }
        return out.toByteArray();
    }

    @Test
    void everyChunkIsReadIntoTheOneLentBufferWhichIsTakenOnce() throws IOException {
        Path file = file(SIZE);
        ByteBuffer lent = ByteBuffer.allocateDirect(FileChunks.CHUNK);
        AtomicInteger taken = new AtomicInteger();
        Supplier<ByteBuffer> buffers = () -> {
            taken.incrementAndGet();
            return lent;
        };

        assertThat(drain(FileChunks.trusted(open(file)), buffers, lent)).isEqualTo(Files.readAllBytes(file));
        assertThat(taken).hasValue(1);

        taken.set(0);
        assertThat(drain(FileChunks.checked(open(file), Digest.sha256(Files.readAllBytes(file))), buffers, lent))
                .isEqualTo(Files.readAllBytes(file));
        assertThat(taken).hasValue(1);
    }

    @Test
    void withoutALentBufferTheChunksAreTheSameBytes() throws IOException {
        Path file = file(SIZE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileChunks.trusted(open(file)).drainTo(chunk -> {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            out.write(bytes);
        });
        assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aFileThatDoesNotMatchItsDigestNeverComesOutWhole() throws IOException {
        Path file = file(SIZE);
        Digest other = Digest.sha256("something else".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        long handedOut = 0;
        try (FileChunks chunks = FileChunks.checked(open(file), other)) {
            IOException failure = null;
            try {
                for (ByteBuffer chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                    handedOut += chunk.remaining();
                }
            } catch (IOException e) {
                failure = e;
            }
            assertThat(failure).as("the digest check").isNotNull().hasMessageContaining("does not match its digest");
        }
        assertThat(handedOut).isEqualTo(SIZE - 1);
    }

    @Test
    void aPartIsTheFilesBytesFromWhereverItStartsTrustedOrChecked() throws IOException {
        Path file = file(SIZE);
        byte[] whole = Files.readAllBytes(file);
        Digest digest = Digest.sha256(whole);
        // Within one chunk, across chunks, to the end, from the start, one byte.
        long[][] parts = {{10, 100}, {FileChunks.CHUNK - 5, FileChunks.CHUNK + 10}, {SIZE - 70_000, 70_000}, {0, 3}, {SIZE - 1, 1}};
        for (long[] part : parts) {
            byte[] expected = java.util.Arrays.copyOfRange(whole, (int) part[0], (int) (part[0] + part[1]));
            FileChunks trusted = FileChunks.trusted(open(file));
            assertThat(trusted.hasParts()).isTrue();
            assertThat(drain(trusted.part(part[0], part[1]), () -> ByteBuffer.allocate(FileChunks.CHUNK))).as("trusted %s", part).isEqualTo(expected);
            assertThat(drain(FileChunks.checked(open(file), digest).part(part[0], part[1]), () -> ByteBuffer.allocate(FileChunks.CHUNK)))
                    .as("checked %s", part).isEqualTo(expected);
        }
    }

    /** The bytes before and after a part are hashed too: a part of a damaged file never comes out whole, wherever the damage. */
    @Test
    void aPartOfAFileThatDoesNotMatchItsDigestNeverComesOutWhole() throws IOException {
        Path file = file(SIZE);
        Digest digest = Digest.sha256(Files.readAllBytes(file));
        for (long damagedAt : new long[] {5, FileChunks.CHUNK + 7, SIZE - 1}) {
            Path damaged = Files.copy(file, dir.resolve("damaged-" + damagedAt));
            try (FileChannel channel = FileChannel.open(damaged, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {(byte) ~Files.readAllBytes(file)[(int) damagedAt]}), damagedAt);
            }
            long first = FileChunks.CHUNK;
            long length = FileChunks.CHUNK + 100;
            long handedOut = 0;
            IOException failure = null;
            try (ChunkSource part = FileChunks.checked(open(damaged), digest).part(first, length)) {
                for (ByteBuffer chunk = part.next(); chunk != null; chunk = part.next()) {
                    handedOut += chunk.remaining();
                }
            } catch (IOException e) {
                failure = e;
            }
            assertThat(failure).as("damaged at %d", damagedAt).isNotNull().hasMessageContaining("does not match its digest");
            assertThat(handedOut).as("damaged at %d", damagedAt).isEqualTo(FileChunks.CHUNK);
        }
    }

    private static byte[] drain(ChunkSource chunks, Supplier<ByteBuffer> buffers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (chunks) {
            for (ByteBuffer chunk = chunks.next(buffers); chunk != null; chunk = chunks.next(buffers)) {
                byte[] bytes = new byte[chunk.remaining()];
                chunk.get(bytes);
                out.write(bytes);
            }
        }
        return out.toByteArray();
    }

    @Test
    void anEmptyFileIsCheckedWhenOpenedAndItsChannelClosedWhenItFails() throws IOException {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        FileChannel right = open(empty);
        assertThat(FileChunks.checked(right, Digest.sha256(new byte[0])).next()).isNull();

        FileChannel wrong = open(empty);
        assertThatThrownBy(() -> FileChunks.checked(wrong, Digest.sha256(new byte[1]))).hasMessageContaining("does not match its digest");
        assertThat(wrong.isOpen()).isFalse();
    }

    @Test
    void aFileCutShortWhileItIsReadIsAnErrorNamingHowFarItGot() throws IOException {
        Path file = file(SIZE);
        try (FileChunks chunks = FileChunks.trusted(open(file))) {
            assertThat(chunks.next()).isNotNull();
            try (FileChannel cut = FileChannel.open(file, StandardOpenOption.WRITE)) {
                cut.truncate(FileChunks.CHUNK + 10);
            }
            assertThatThrownBy(chunks::next).isInstanceOf(EOFException.class)
                    .hasMessage("the file ended after " + (FileChunks.CHUNK + 10) + " of its " + SIZE + " bytes");
        }
    }

    @Test
    void closingClosesTheFile() throws IOException {
        FileChannel channel = open(file(10));
        FileChunks.trusted(channel).close();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void anEmptyLentBufferIsRefusedRatherThanReadForever() throws IOException {
        try (FileChunks chunks = FileChunks.trusted(open(file(10)))) {
            assertThatThrownBy(() -> chunks.next(() -> ByteBuffer.allocate(0))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least one byte");
        }
    }
}
