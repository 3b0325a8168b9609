package dev.wharf.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * Zips an attacker would make, built by the tests themselves (no stored fixtures): entries with any
 * name, symbolic-link and special-file entries, and zip bombs that inflate to gigabytes from a few
 * megabytes, written as a stream of repeated deflate blocks so that building one costs little.
 */
public final class HostileZips {
    private static final int ZEROS_PER_BLOCK = 1 << 20;

    /** One entry: a name (anything at all), its content, and the Unix mode written for it (0 for none). */
    public record Entry(String name, byte[] content, int unixMode) {
        public static Entry file(String name, String content) {
            return new Entry(name, content.getBytes(StandardCharsets.UTF_8), 0100644);
        }

        public static Entry symlink(String name, String target) {
            return new Entry(name, target.getBytes(StandardCharsets.UTF_8), 0120777);
        }

        public static Entry fifo(String name) {
            return new Entry(name, new byte[0], 0010644);
        }
    }

    /** A large entry of zeros: {@code inflatedBytes} in all; {@code declaredBytes} is what its headers claim. */
    public record Bomb(String name, long inflatedBytes, long declaredBytes) {
        public static Bomb honest(String name, long inflatedBytes) {
            return new Bomb(name, inflatedBytes, inflatedBytes);
        }
    }

    private HostileZips() {
    }

    public static Path write(Path zip, List<Entry> entries) throws IOException {
        return write(zip, entries, List.of());
    }

    public static Path write(Path zip, List<Entry> entries, List<Bomb> bombs) throws IOException {
        Files.createDirectories(zip.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(zip); ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new LiteralEntry(e.name(), e.unixMode() == 0 ? 0100644 : e.unixMode());
                entry.setTime(315532800000L);
                out.putArchiveEntry(entry);
                out.write(e.content());
                out.closeArchiveEntry();
            }
            for (Bomb b : bombs) {
                writeBomb(out, b);
            }
            out.finish();
        }
        return zip;
    }

    /** An entry named exactly as given: commons-compress turns backslashes into '/' for entries it thinks came from DOS. */
    private static final class LiteralEntry extends ZipArchiveEntry {
        LiteralEntry(String name, int unixMode) {
            super(name);
            setUnixMode(unixMode);
            setName(name);
        }
    }

    private static void writeBomb(ZipArchiveOutputStream out, Bomb bomb) throws IOException {
        byte[] block = fullFlushedZeros();
        byte[] end = finalBlock();
        long blocks = bomb.inflatedBytes() / ZEROS_PER_BLOCK;
        if (bomb.inflatedBytes() % ZEROS_PER_BLOCK != 0) {
            throw new IllegalArgumentException("a bomb inflates to a whole number of MiB");
        }
        ZipArchiveEntry entry = new ZipArchiveEntry(bomb.name());
        entry.setMethod(ZipEntry.DEFLATED);
        entry.setTime(315532800000L);
        entry.setUnixMode(0100644);
        entry.setSize(bomb.declaredBytes());
        entry.setCompressedSize(blocks * block.length + end.length);
        entry.setCrc(crcOfZeros(bomb.declaredBytes()));
        out.addRawArchiveEntry(entry, new SequenceInputStream(repeat(block, blocks, end)));
    }

    /** Deflated zeros ending in a full flush: the same bytes may follow each other any number of times. */
    private static byte[] fullFlushedZeros() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(new byte[ZEROS_PER_BLOCK]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.needsInput()) {
            out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
        }
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] finalBlock() {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.finish();
        byte[] buffer = new byte[64];
        int n = deflater.deflate(buffer);
        deflater.end();
        return java.util.Arrays.copyOf(buffer, n);
    }

    /** CRC-32 of {@code length} zero bytes: one MiB hashed, the rest by zlib's crc32_combine, so gigabytes cost nothing. */
    private static long crcOfZeros(long length) {
        CRC32 one = new CRC32();
        one.update(new byte[ZEROS_PER_BLOCK]);
        long result = 0;
        long resultLength = 0;
        long power = one.getValue();
        long powerLength = ZEROS_PER_BLOCK;
        for (long blocks = length / ZEROS_PER_BLOCK; blocks > 0; blocks >>= 1) {
            if ((blocks & 1) != 0) {
                result = resultLength == 0 ? power : combine(result, power, powerLength);
                resultLength += powerLength;
            }
            power = combine(power, power, powerLength);
            powerLength *= 2;
        }
        int tail = (int) (length % ZEROS_PER_BLOCK);
        if (tail == 0) {
            return result;
        }
        CRC32 rest = new CRC32();
        rest.update(new byte[tail]);
        return resultLength == 0 ? rest.getValue() : combine(result, rest.getValue(), tail);
    }

    /** zlib's crc32_combine: the CRC of A followed by B from the CRCs of both and B's length. */
    private static long combine(long crc1, long crc2, long len2) {
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = 0xedb88320L;
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd);
        square(odd, even);
        do {
            square(even, odd);
            if ((len2 & 1) != 0) {
                crc1 = times(even, crc1);
            }
            len2 >>= 1;
            if (len2 == 0) {
                break;
            }
            square(odd, even);
            if ((len2 & 1) != 0) {
                crc1 = times(odd, crc1);
            }
            len2 >>= 1;
        } while (len2 != 0);
        return crc1 ^ crc2;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }

    private static Enumeration<InputStream> repeat(byte[] block, long times, byte[] end) {
        Iterator<InputStream> it = new Iterator<>() {
            private long left = times;
            private boolean ended;

            @Override
            public boolean hasNext() {
                return left > 0 || !ended;
            }

            @Override
            public InputStream next() {
                if (left > 0) {
                    left--;
                    return new ByteArrayInputStream(block);
                }
                ended = true;
                return new ByteArrayInputStream(end);
            }
        };
        return new Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return it.hasNext();
            }

            @Override
            public InputStream nextElement() {
                return it.next();
            }
        };
    }
}
