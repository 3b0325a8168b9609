package dev.wharf.oci;

import dev.wharf.oci.layout.ImageLayoutStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The other process of {@link LeftoversTest}: it makes what a Wharf job makes, says so on one line,
 * and holds it until its standard input ends or it is killed.
 *
 * <ul>
 *   <li>{@code folder PARENT PREFIX}: a scratch folder with one file of 1 MB in it; prints its path.</li>
 *   <li>{@code blob LAYOUT REPOSITORY}: pushes a layer into the image layout whose content stops after
 *       1 MB and never ends; prints {@code writing} once the bytes are on disk.</li>
 *   <li>{@code sweep FOLDER}: removes the scratch folders left there; prints {@code removed N}.</li>
 * </ul>
 */
public final class LeftoverOwner {
    static final int BYTES = 1 << 20;

    private LeftoverOwner() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        switch (args[0]) {
            case "folder" -> {
                ScratchFolder folder = ScratchFolder.create(Path.of(args[1]), args[2]);
                Files.write(folder.path().resolve("body"), new byte[BYTES]);
                out.println(folder.path());
                waitForEndOfInput();
                folder.close();
            }
            case "blob" -> {
                CountDownLatch written = new CountDownLatch(1);
                Thread pusher = new Thread(() -> new ImageLayoutStore(Path.of(args[1])).push(args[2], "1.0.0",
                        new Artifact("application/vnd.example", List.of(Layer.file("application/octet-stream", "endless", endless(written))),
                                Map.of()), false), "pusher");
                pusher.setDaemon(true);
                pusher.start();
                written.await();
                out.println("writing");
                waitForEndOfInput();
            }
            case "sweep" -> out.println("removed " + Leftovers.scratchFolders(Path.of(args[1])).paths().size());
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** 1 MB, then a read that never returns: the push stays in the middle of its layer. */
    private static BlobSource endless(CountDownLatch written) {
        return new BlobSource() {
            @Override
            public InputStream open() {
                return new InputStream() {
                    private int given;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0];
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (given >= BYTES) {
                            written.countDown();
                            try {
                                new CountDownLatch(1).await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return -1;
                        }
                        int n = Math.min(len, BYTES - given);
                        given += n;
                        return n;
                    }
                };
            }

            @Override
            public long size() {
                return -1;
            }
        };
    }

    private static void waitForEndOfInput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // Held until the test closes the pipe or kills this process.
            }
        } catch (IOException e) {
            // The pipe broke: the test is gone.
        }
    }
}
