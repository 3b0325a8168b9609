package dev.wharf.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a round-robin load balancer on 127.0.0.1 in front of replicas on 127.0.0.1,
 * as an operator would put one: a failed connection to a replica is retried on the next one
 * (nginx's default {@code proxy_next_upstream error timeout}), a request already answered in part is
 * not.
 */
public final class NginxBalancer implements AutoCloseable {
    private final NginxProcess nginx;
    private final boolean tls;

    private NginxBalancer(NginxProcess nginx, boolean tls) {
        this.nginx = nginx;
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
        String servers = replicaPorts.stream().map(p -> "    server 127.0.0.1:" + p + " max_fails=0;")
                .collect(Collectors.joining("\n"));
        return new NginxBalancer(NginxProcess.start(prefix, 1024, port -> """
                  upstream replicas {
                %1$s
                    keepalive 32;
                  }
                  server {
                    listen 127.0.0.1:%2$d%3$s;
                    location / {
                      proxy_pass http://replicas;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                %4$s      proxy_buffering off;
                    }
                  }
                """.formatted(servers, port, listenExtras, headers)), !listenExtras.isEmpty());
    }

    public String url() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + nginx.port();
    }

    public String log() {
        return nginx.log();
    }

    @Override
    public void close() {
        nginx.close();
    }
}
