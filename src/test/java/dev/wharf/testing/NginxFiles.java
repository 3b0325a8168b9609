package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx serving a folder of files on 127.0.0.1, as release files are served: with
 * {@code Accept-Ranges}, a strong ETag and Last-Modified, and ranges answered 206 (also under
 * {@code If-Range}). {@code directives} go into its server block to make it another kind of file
 * server: {@code etag off;} (Last-Modified only), {@code max_ranges 0;} (ranges ignored, every answer
 * the whole file).
 */
public final class NginxFiles implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path prefix;

    private NginxFiles(Process process, int port, Path prefix) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
    }

    /** Serves {@code root} with {@code directives}, keeping nginx's own files under {@code prefix}. */
    public static NginxFiles serve(Path prefix, Path root, String directives) {
        Path nginx = RequiredTool.require("nginx", "nginx-light");
        int port = TestPorts.free();
        try {
            Files.createDirectories(prefix.resolve("logs"));
            String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            Path conf = Files.writeString(prefix.resolve("nginx.conf"), user + """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections 64; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/client_body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      default_type application/octet-stream;
                      server {
                        listen 127.0.0.1:%2$d;
                        root %3$s;
                        %4$s
                      }
                    }
                    """.formatted(prefix, port, root.toAbsolutePath(), directives), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
            NginxFiles files = new NginxFiles(process, port, prefix);
            files.awaitListening();
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    private void awaitListening() {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ": " + log());
            }
            if (WharfProcess.accepts(port)) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        throw new AssertionError("nginx did not listen on " + port + " within 20 s: " + log());
    }

    /** "127.0.0.1:PORT", to put a {@link FaultProxy} before. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public URI base() {
        return URI.create("http://" + host());
    }

    public String log() {
        try {
            return Files.readString(prefix.resolve("logs/error.log")) + Files.readString(prefix.resolve("logs/stdout.log"));
        } catch (IOException e) {
            return "(no nginx log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
