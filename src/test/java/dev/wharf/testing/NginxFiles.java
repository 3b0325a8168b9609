package dev.wharf.testing;

import java.net.URI;
import java.nio.file.Path;

/**
 * Debian's nginx serving a folder of files on 127.0.0.1, as release files are served: with
 * {@code Accept-Ranges}, a strong ETag and Last-Modified, and ranges answered 206 (also under
 * {@code If-Range}). {@code directives} go into its server block to make it another kind of file
 * server: {@code etag off;} (Last-Modified only), {@code max_ranges 0;} (ranges ignored, every answer
 * the whole file).
 */
public final class NginxFiles implements AutoCloseable {
    private final NginxProcess nginx;

    private NginxFiles(NginxProcess nginx) {
        this.nginx = nginx;
    }

    /** Serves {@code root} with {@code directives}, keeping nginx's own files under {@code prefix}. */
    public static NginxFiles serve(Path prefix, Path root, String directives) {
        return new NginxFiles(NginxProcess.start(prefix, 64, port -> """
                  default_type application/octet-stream;
                  server {
                    listen 127.0.0.1:%1$d;
                    root %2$s;
                    %3$s
                  }
                """.formatted(port, root.toAbsolutePath(), directives)));
    }

    /** "127.0.0.1:PORT", to put a {@link FaultProxy} before. */
    public String host() {
        return "127.0.0.1:" + nginx.port();
    }

    public URI base() {
        return URI.create("http://" + host());
    }

    public String log() {
        return nginx.log();
    }

    @Override
    public void close() {
        nginx.close();
    }
}
