import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The ceiling of a proxy that verifies what it streams: SHA-256 of a file already in the page
 * cache, in this JVM, on one core (one stream's hash cannot be split across cores). Prints the
 * best MB/s of the runs after three warm-ups (the JIT's SHA-256 intrinsic is in place only once
 * the update loop is compiled): a ceiling, so the best run is the one to read.
 * java bench/Sha256Rate.java FILE [RUNS]
 */
public class Sha256Rate {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double[] rates = new double[runs];
        byte[] buffer = new byte[256 * 1024];
        for (int run = -3; run < runs; run++) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            long start = System.nanoTime();
            try (FileChannel in = FileChannel.open(file)) {
                ByteBuffer wrap = ByteBuffer.wrap(buffer);
                for (int n = in.read(wrap); n >= 0; n = in.read(wrap)) {
                    sha.update(buffer, 0, n);
                    bytes += n;
                    wrap.clear();
                }
            }
            sha.digest();
            if (run >= 0) {
                rates[run] = bytes / ((System.nanoTime() - start) / 1e9) / (1 << 20);
            }
        }
        Arrays.sort(rates);
        System.out.printf("%.0f%n", rates[runs - 1]);
    }
}
