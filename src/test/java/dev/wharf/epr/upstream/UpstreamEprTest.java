package dev.wharf.epr.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.wharf.testing.PgpKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream client's downloads against a real (in-process) upstream registry. */
class UpstreamEprTest {
    private static final PgpKeys KEY = PgpKeys.generate("Upstream <upstream@example.test>");

    @TempDir
    Path dir;

    @Test
    void aZipLargerThanTheLimitIsRefusedAndAMissingOneIsEmpty() throws Exception {
        try (SignedUpstream upstream = SignedUpstream.start(dir, KEY, List.of("gallery/2.0.0"))) {
            UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(upstream.url()).withRetries(0, Duration.ZERO, Duration.ZERO));
            long size = Files.size(upstream.zip("gallery-2.0.0"));
            Path target = dir.resolve("copy.zip");
            assertThat(client.download("/epr/gallery/gallery-2.0.0.zip", target, size)).hasValue(size);
            assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(upstream.zip("gallery-2.0.0")));
            assertThatThrownBy(() -> client.download("/epr/gallery/gallery-2.0.0.zip", dir.resolve("big.zip"), size - 1))
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.REFUSED))
                    .hasMessageContaining("than the limit of " + (size - 1) + " bytes");
            assertThat(client.download("/epr/nothing/nothing-1.0.0.zip", dir.resolve("none.zip"), size)).isEmpty();
            assertThat(dir.resolve("none.zip")).doesNotExist();
            assertThat(client.packageInfo("nothing", "1.0.0")).isEmpty();
            assertThat(client.packageInfo("gallery", "2.0.0")).hasValueSatisfying(d -> assertThat(d.title).isEqualTo("Gallery"));
        }
    }

    @Test
    void whatAClientWroteReachesTheUpstreamAsTheSameRequest() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                    : "?" + exchange.getRequestURI().getRawQuery()) + " " + exchange.getRequestURI().getQuery());
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .withRetries(0, Duration.ZERO, Duration.ZERO));
            assertThat(client.search("package=a|b&q=%zz")).isEmpty();
            assertThat(client.categories("kibana.version={8}")).isEmpty();
            assertThat(client.resolve("/package/n/1.0.0/docs/a#b.md")).hasToString(client.base() + "package/n/1.0.0/docs/a%23b.md");
            assertThat(asked).containsExactly("/search?package=a%7Cb&q=%25zz package=a|b&q=%zz",
                    "/categories?kibana.version=%7B8%7D kibana.version={8}");
        } finally {
            server.stop(0);
        }
    }

    /** EPR reads its upstream with Go's encoding/json, which converts no value to another type: a 2.7 was a count of 2 here. */
    @Test
    void aValueOfAnotherTypeThanItsFieldsIsRefusedNamingTheFieldAndTheUpstream() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        java.util.Map<String, String> answers = java.util.Map.of(
                "/search", "[{\"name\":\"a\",\"version\":\"1.0.0\"},{\"name\":\"b\",\"version\":1.10}]",
                "/categories", "[{\"id\":\"security\",\"title\":\"Security\",\"count\":2.7}]",
                "/package/b/1.0.0/", "{\"name\":\"b\",\"version\":\"1.0.0\",\"title\":true}");
        server.createContext("/", exchange -> {
            byte[] body = answers.getOrDefault(exchange.getRequestURI().getPath(), "[]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(URI.create(base)).withRetries(0, Duration.ZERO, Duration.ZERO));
            assertThatThrownBy(() -> client.search(null))
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                    .hasMessage("upstream " + base + "search answered [1].version as a number, not a string: EPR does not read such an answer either");
            assertThatThrownBy(() -> client.categories(null))
                    .hasMessage("upstream " + base + "categories answered [0].count as a number, not a whole number: EPR does not read such an answer"
                            + " either");
            assertThatThrownBy(() -> client.packageInfo("b", "1.0.0"))
                    .hasMessage("upstream " + base + "package/b/1.0.0/ answered title as a boolean, not a string: EPR does not read such an answer"
                            + " either");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerThatNeverEndsIsCutAtTheLimit() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            byte[] blanks = new byte[1 << 20];
            Arrays.fill(blanks, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('[');
                for (long sent = 0; sent <= UpstreamEpr.MAX_JSON_BYTES; sent += blanks.length) {
                    out.write(blanks);
                }
            } catch (IOException e) {
                // the client hung up at its limit
            }
        });
        server.start();
        try {
            UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .withRetries(0, Duration.ZERO, Duration.ZERO));
            assertThatThrownBy(() -> client.search(null))
                    .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                    .hasMessageContaining("answered more than " + UpstreamEpr.MAX_JSON_BYTES + " bytes of JSON for /search");
        } finally {
            server.stop(0);
        }
    }

    /**
     * Go's encoding/json leaves a string field as it was for a JSON null ("", or absent for a pointer), and reads a null in a
     * []string as "": Jackson made each Java's null, in fields that are never null, the category's id and title included.
     */
    @Test
    void aNullWhereAStringBelongsIsReadAsGoReadsIt() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        java.util.Map<String, String> answers = java.util.Map.of(
                "/search", "[{\"name\":null,\"version\":null,\"title\":null,\"description\":null,\"categories\":[null,\"security\"]}]",
                "/categories", "[{\"id\":null,\"title\":null,\"count\":1},{\"count\":2}]");
        server.createContext("/", exchange -> {
            byte[] body = answers.getOrDefault(exchange.getRequestURI().getPath(), "[]").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            UpstreamEpr client = new UpstreamEpr(UpstreamSettings.epr(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .withRetries(0, Duration.ZERO, Duration.ZERO));
            dev.wharf.epr.model.PackageDocument found = client.search(null).get(0);
            assertThat(List.of(found.name, found.version, found.description)).containsExactly("", "", "");
            assertThat(found.title).isNull();
            assertThat(found.categories).containsExactly("", "security");
            assertThat(client.categories(null)).extracting(c -> c.id() + "|" + c.title() + "|" + c.count()).containsExactly("||1", "||2");
        } finally {
            server.stop(0);
        }
    }
}
