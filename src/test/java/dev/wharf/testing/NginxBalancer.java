package dev.wharf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a round-robin load balancer on 127.0.0.1 in front of replicas on 127.0.0.1,
 * as an operator would put one: a failed connection to a replica is retried on the next one
 * (nginx's default {@code proxy_next_upstream error timeout}), a request already answered in part is
 * not.
 */
public final class NginxBalancer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path prefix;
    private final boolean tls;

    private NginxBalancer(Process process, int port, Path prefix, boolean tls) {
        this.process = process;
        this.port = port;
        this.prefix = prefix;
        this.tls = tls;
    }

    public static NginxBalancer start(Path prefix, List<Integer> replicaPorts) {
        return start(prefix, replicaPorts, "", """
                          proxy_set_header Host $http_host;
                """);
    }

    /**
     * As an ingress terminates TLS in front of a server of plain HTTP: {@code https} on its port with
     * {@code cert} and {@code key}, the client's scheme, host and port passed on in X-Forwarded-Proto,
     * -Host and -Port, its address appended to X-Forwarded-For, and the Host header nginx's default,
     * the upstream's name ({@code replicas}).
     */
    public static NginxBalancer startTlsTerminating(Path prefix, List<Integer> replicaPorts, Path cert, Path key) {
        return start(prefix, replicaPorts, " ssl;\n    ssl_certificate " + cert + ";\n    ssl_certificate_key " + key, """
                          proxy_set_header X-Forwarded-Proto $scheme;
                          proxy_set_header X-Forwarded-Host $http_host;
                          proxy_set_header X-Forwarded-Port $server_port;
                          proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                """);
    }

    private static NginxBalancer start(Path prefix, List<Integer> replicaPorts, String listenExtras, String headers) {
        Path nginx = RequiredTool.require("nginx", "nginx-light");
        int port = TestPorts.free();
        try {
            Files.createDirectories(prefix.resolve("logs"));
            String servers = replicaPorts.stream().map(p -> "    server 127.0.0.1:" + p + " max_fails=0;")
                    .collect(Collectors.joining("\n"));
            String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
            Path conf = Files.writeString(prefix.resolve("nginx.conf"), user + """
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/error.log warn;
                    events { worker_connections 1024; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/client_body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      upstream replicas {
                    %2$s
                        keepalive 32;
                      }
                      server {
                        listen 127.0.0.1:%3$d%4$s;
                        location / {
                          proxy_pass http://replicas;
                          proxy_http_version 1.1;
                          proxy_set_header Connection "";
                    %5$s      proxy_buffering off;
                        }
                      }
                    }
                    """.formatted(prefix, servers, port, listenExtras, headers), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;")
                    .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
            NginxBalancer balancer = new NginxBalancer(process, port, prefix, !listenExtras.isEmpty());
            balancer.awaitListening();
            return balancer;
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

    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
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
