package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Debian's nginx run in the foreground on 127.0.0.1 with every file of its own (pid, logs, temp
 * folders) under one prefix, so tests never touch the system's nginx; started once it listens.
 * {@link NginxFiles} and {@link NginxBalancer} give it their {@code http} block's own part.
 */
final class NginxProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path prefix;

    private NginxProcess(Process process, int port, Path prefix) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
    }

    /** Starts nginx with {@code http} of its port inside its {@code http} block, and waits until it listens there. */
    static NginxProcess start(Path prefix, int workerConnections, IntFunction<String> http) {
        Path nginx = RequiredTool.require("nginx", "nginx-light");
        int port = TestPorts.free();
        try {
            Files.createDirectories(prefix.resolve("logs"));
            String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            Path conf = Files.writeString(prefix.resolve("nginx.conf"), user + """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections %3$d; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/client_body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                    """.formatted(prefix, port, workerConnections) + http.apply(port) + "}\n", StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
            NginxProcess started = new NginxProcess(process, port, prefix);
            started.awaitListening();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start nginx", e);
        }
    }

    int port() {
        return port;
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
            LockSupport.parkNanos(50_000_000);
        }
        throw new AssertionError("nginx did not listen on " + port + " within 20 s: " + log());
    }

    String log() {
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
