package dev.wharf.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.oci.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A token server is given the exchange's timeout for its whole answer, not only for its headers. */
class TokenExchangeTest {
    @Test
    void aTokenServerThatFallsSilentAfterItsHeadersIsUnreachable() throws IOException {
        CountDownLatch released = new CountDownLatch(1);
        HttpServer realm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        realm.createContext("/token", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 500);
            OutputStream out = exchange.getResponseBody();
            out.write("{\"token\":\"".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        realm.start();
        try {
            TokenExchange exchange = new TokenExchange(HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(1));
            AuthChallenge challenge = new AuthChallenge("Bearer", Map.of("realm",
                    "http://127.0.0.1:" + realm.getAddress().getPort() + "/token", "service", "r.example"));
            long started = System.nanoTime();
            assertThatThrownBy(() -> exchange.fetch(challenge, List.of("repository:a:pull"), new Credentials.Anonymous(), "r.example"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNREACHABLE))
                    .hasMessageContaining("the token server of registry r.example broke off its answer");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the wait").isLessThan(Duration.ofSeconds(30));
        } finally {
            released.countDown();
            realm.stop(0);
        }
    }
}
