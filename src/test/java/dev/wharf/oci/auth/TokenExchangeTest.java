package dev.wharf.oci.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.wharf.oci.StorageException;
import dev.wharf.testing.TestCertificates;
import dev.wharf.testing.TokenServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                    .hasMessageContaining("of registry r.example sent its answer too slowly");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the wait").isLessThan(Duration.ofSeconds(30));
        } finally {
            released.countDown();
            realm.stop(0);
        }
    }

    /** A realm that answers every request with {@code status} and a Location {@code to} gives, recording what it was sent. */
    private static HttpServer redirector(int status, java.util.function.UnaryOperator<String> to, List<String> saw) throws IOException {
        return started(exchange -> {
            saw.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getResponseHeaders().set("Location", to.apply(exchange.getRequestURI().getRawQuery()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
    }

    /** A realm on 127.0.0.1 answering every path with {@code handler}. */
    private static HttpServer started(HttpHandler handler) throws IOException {
        HttpServer realm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        realm.createContext("/", handler);
        realm.start();
        return realm;
    }

    private static AuthChallenge challengeOf(HttpServer realm) {
        return new AuthChallenge("Bearer", Map.of("realm", "http://127.0.0.1:" + realm.getAddress().getPort() + "/auth",
                "service", TokenServer.SERVICE));
    }

    private static TokenExchange exchange() {
        return new TokenExchange(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), Clock.systemUTC(),
                Duration.ofSeconds(5));
    }

    @Test
    void aRealmThatRedirectsToItsTokenServerOnTheSameHostIsFollowedWithTheCredentials(@TempDir Path tmp) throws IOException {
        List<String> saw = new CopyOnWriteArrayList<>();
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p")) {
            HttpServer realm = redirector(302, query -> tokens.realm() + "?" + query, saw);
            try {
                assertThat(exchange().fetch(challengeOf(realm), List.of("repository:a:pull"), new Credentials.Basic("u", "p"), "r.example"))
                        .isInstanceOf(TokenExchange.Outcome.Granted.class);
                assertThat(tokens.requests()).containsExactly(new TokenServer.TokenRequest("GET", "u", List.of("repository:a:pull"), true));
            } finally {
                realm.stop(0);
            }
        }
    }

    @Test
    void aRedirectToAnotherHostIsFollowedWithoutTheCredentialsAsDockerDoes(@TempDir Path tmp) throws IOException {
        List<String> saw = new CopyOnWriteArrayList<>();
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p")) {
            // localhost is the same machine, but another host name than the realm's 127.0.0.1.
            HttpServer realm = redirector(307, query -> tokens.realm().replace("127.0.0.1", "localhost") + "?" + query, saw);
            try {
                assertThat(exchange().fetch(challengeOf(realm), List.of("repository:a:pull"), new Credentials.Basic("u", "p"), "r.example"))
                        .isInstanceOf(TokenExchange.Outcome.Granted.class);
                assertThat(saw).containsExactly("GET Basic dTpw");
                assertThat(tokens.requests()).as("anonymous at the other host")
                        .containsExactly(new TokenServer.TokenRequest("GET", "", List.of("repository:a:pull"), true));
                // A refresh token travels in the form: it is not repeated to another host.
                assertThatThrownBy(() -> exchange().fetch(challengeOf(realm), List.of("repository:a:pull"),
                        new Credentials.Token("identity"), "r.example")).isInstanceOf(StorageException.class)
                        .hasMessageContaining("redirected the token request to another host, http://localhost:" + tokens.uri().getPort() + "/token");
                assertThat(tokens.requests()).hasSize(1);
            } finally {
                realm.stop(0);
            }
        }
    }

    /**
     * An HTTPS realm that redirects to plain HTTP: the Basic credentials are not sent in cleartext, to another host
     * (as Docker's client drops them) nor to the realm's own host (where Go's client would still send them).
     */
    @Test
    void anHttpsRealmRedirectingToPlainHttpGetsNoCredentialsThere(@TempDir Path tmp) throws IOException {
        TestCertificates.SelfSigned certificate = TestCertificates.localhost();
        List<String> saw = new CopyOnWriteArrayList<>();
        try (TokenServer tokens = new TokenServer(tmp).user("u", "p")) {
            for (String host : List.of("localhost", "127.0.0.1")) {
                HttpsServer realm = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                realm.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
                realm.createContext("/", exchange -> {
                    saw.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization"));
                    exchange.getResponseHeaders().set("Location", tokens.realm().replace("127.0.0.1", host) + "?"
                            + exchange.getRequestURI().getRawQuery());
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                });
                realm.start();
                try {
                    TokenExchange exchange = new TokenExchange(HttpClient.newBuilder().sslContext(certificate.trustingContext())
                            .followRedirects(HttpClient.Redirect.NEVER).build(), Clock.systemUTC(), Duration.ofSeconds(5));
                    AuthChallenge challenge = new AuthChallenge("Bearer", Map.of("realm", "https://127.0.0.1:"
                            + realm.getAddress().getPort() + "/auth", "service", TokenServer.SERVICE));
                    assertThat(exchange.fetch(challenge, List.of("repository:a:pull"), new Credentials.Basic("u", "p"), "r.example"))
                            .isInstanceOf(TokenExchange.Outcome.Granted.class);
                } finally {
                    realm.stop(0);
                }
            }
            assertThat(saw).as("the HTTPS realm had them").containsExactly("GET Basic dTpw", "GET Basic dTpw");
            assertThat(tokens.requests()).as("anonymous over plain HTTP, at another host and at the realm's own")
                    .containsExactly(new TokenServer.TokenRequest("GET", "", List.of("repository:a:pull"), true),
                            new TokenServer.TokenRequest("GET", "", List.of("repository:a:pull"), true));
        }
    }

    @Test
    void aRedirectLoopEndsAfterFiveHopsWithOneMessage() throws IOException {
        List<String> saw = new CopyOnWriteArrayList<>();
        HttpServer realm = redirector(302, query -> "/auth?" + query, saw);
        try {
            assertThatThrownBy(() -> exchange().fetch(challengeOf(realm), List.of(), new Credentials.Anonymous(), "r.example"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.PROTOCOL))
                    .hasMessageContaining("the token server of registry r.example redirected more than 5 times");
            assertThat(saw).hasSize(6);
        } finally {
            realm.stop(0);
        }
    }

    @Test
    void anAbsurdLifetimeIsCutToADayNotReadAsNoToken() throws IOException {
        HttpServer realm = started(exchange -> {
            byte[] body = "{\"token\":\"t\",\"expires_in\":99999999999999999}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try {
            Instant before = Instant.now();
            TokenExchange.Outcome outcome = exchange().fetch(challengeOf(realm), List.of(), new Credentials.Anonymous(), "r.example");
            assertThat(outcome).isInstanceOfSatisfying(TokenExchange.Outcome.Granted.class, granted -> {
                assertThat(granted.token().token()).isEqualTo("t");
                assertThat(granted.token().renewAfter()).isBetween(before.plus(Duration.ofHours(23)), before.plus(Duration.ofDays(1)));
            });
        } finally {
            realm.stop(0);
        }
    }

    /**
     * A token goes out as a header with every request: one just under the answer's 1 MiB bound had been taken and sent.
     * A token of the largest size taken still is.
     */
    @Test
    void aTokenLongerThanAnyRegistrysIsOneFailureNamingTheRealm() throws IOException {
        java.util.concurrent.atomic.AtomicInteger length = new java.util.concurrent.atomic.AtomicInteger((1 << 20) - 100);
        HttpServer realm = started(exchange -> {
            byte[] body = ("{\"token\":\"" + "a".repeat(length.get()) + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        try {
            String at = "http://127.0.0.1:" + realm.getAddress().getPort() + "/auth";
            assertThatThrownBy(() -> exchange().fetch(challengeOf(realm), List.of("repository:a:pull"), new Credentials.Anonymous(), "r.example"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.PROTOCOL))
                    .hasMessage("the token server " + at + " of registry r.example answered a token of " + length.get()
                            + " characters; Wharf takes tokens of up to 65536 (registries' tokens are a few KiB), as a token is sent"
                            + " with every request; check the realm");
            length.set(64 << 10);
            assertThat(exchange().fetch(challengeOf(realm), List.of("repository:a:pull"), new Credentials.Anonymous(), "r.example"))
                    .isInstanceOfSatisfying(TokenExchange.Outcome.Granted.class,
                            granted -> assertThat(granted.token().token()).hasSize(64 << 10));
        } finally {
            realm.stop(0);
        }
    }

    /** A byte every 150 ms never trips the idle timeout; the answer must still be whole within the exchange's timeout. */
    @Test
    void aTokenServerThatTricklesItsAnswerFailsWithinTheTimeout() throws IOException {
        CountDownLatch released = new CountDownLatch(1);
        byte[] answer = "{\"token\":\"a-token-that-takes-a-while\",\"expires_in\":300}".getBytes(StandardCharsets.UTF_8);
        HttpServer realm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        realm.createContext("/token", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            OutputStream out = exchange.getResponseBody();
            try {
                for (byte b : answer) {
                    out.write(b);
                    out.flush();
                    if (released.await(150, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException gone) {
                // The client gave up: what this test wants.
            }
            exchange.close();
        });
        realm.start();
        try {
            Duration timeout = Duration.ofSeconds(1);
            TokenExchange exchange = new TokenExchange(HttpClient.newHttpClient(), Clock.systemUTC(), timeout);
            AuthChallenge challenge = new AuthChallenge("Bearer", Map.of("realm",
                    "http://127.0.0.1:" + realm.getAddress().getPort() + "/token", "service", "r.example"));
            long started = System.nanoTime();
            assertThatThrownBy(() -> exchange.fetch(challenge, List.of("repository:a:pull"), new Credentials.Anonymous(), "r.example"))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.UNREACHABLE))
                    .hasMessageContaining("of registry r.example sent its answer too slowly")
                    .hasMessageContaining("127.0.0.1:" + realm.getAddress().getPort() + "/token");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the wait").isLessThan(timeout.plusSeconds(1));
        } finally {
            released.countDown();
            realm.stop(0);
        }
    }
}
