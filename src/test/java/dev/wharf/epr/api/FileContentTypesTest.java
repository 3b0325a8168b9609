package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.http.RequestObserver;
import dev.wharf.http.ServerLimits;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Content-Type line of package files and error answers, read off the socket byte for byte:
 * EPR's Go server writes {@code text/plain; charset=utf-8} with its space, and so must Wharf, whatever
 * spelling its servlet layer prefers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileContentTypesTest {
    private Path dir;
    private FileSystemIndexer indexer;
    private WebServer server;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("epr-types-");
        Path pkg = dir.resolve("packages/sensor_input/0.3.0");
        TestPackages.copyTree(TestPackages.source().resolve("sensor_input/0.3.0"), pkg);
        Files.writeString(pkg.resolve("docs/NOTICE.txt"), "Notice.\n");
        Files.writeString(pkg.resolve("docs/page.html"), "<p>page</p>\n");
        Files.writeString(pkg.resolve("docs/style.css"), "p {}\n");
        Files.writeString(pkg.resolve("docs/schema.xml"), "<a/>\n");
        Files.writeString(pkg.resolve("docs/sample.json"), "{}\n");
        // No table knows these: typed by their first bytes, as Go's http.ServeContent types them.
        Files.writeString(pkg.resolve("docs/NOTICE"), "Notice without an extension.\n".repeat(40));
        Files.writeString(pkg.resolve("docs/page.tmpl"), "\n  <!DOCTYPE html>\n<html><body>" + "x".repeat(600) + "</body></html>\n");
        Files.write(pkg.resolve("docs/data.bin"), new byte[] {'a', 'b', 0x01, 0x02, 'c'});
        Files.copy(TestPackages.source().resolve("gallery/2.0.0/img/overview.png"), pkg.resolve("docs/picture.unknown"));
        indexer = new FileSystemIndexer(List.of(dir.resolve("packages")), true, false, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        ReadyAnswers ready = new ReadyAnswers(1L << 20);
        EprApi api = new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC(), ready);
        server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), Optional.of(ready), RequestObserver.NONE,
                ServerLimits.defaults(), api::register);
    }

    @AfterAll
    void stop() throws IOException {
        server.close();
        indexer.close();
        TestPackages.deleteTree(dir);
    }

    static Stream<Arguments> answers() {
        String base = "/package/sensor_input/0.3.0/";
        return Stream.of(
                Arguments.of(base + "agent/input/input.yml.hbs", "200", "text/plain; charset=utf-8"),
                Arguments.of(base + "docs/NOTICE.txt", "200", "text/plain; charset=utf-8"),
                Arguments.of(base + "docs/page.html", "200", "text/html; charset=utf-8"),
                Arguments.of(base + "docs/style.css", "200", "text/css; charset=utf-8"),
                Arguments.of(base + "docs/schema.xml", "200", "text/xml; charset=utf-8"),
                Arguments.of(base + "docs/sample.json", "200", "application/json"),
                Arguments.of(base + "docs/README.md", "200", "text/markdown; charset=utf-8"),
                Arguments.of(base + "manifest.yml", "200", "text/yaml; charset=UTF-8"),
                Arguments.of("/epr/sensor_input/sensor_input-0.3.0.zip", "200", "application/zip"),
                Arguments.of(base + "docs/NOTICE", "200", "text/plain; charset=utf-8"),
                Arguments.of(base + "docs/page.tmpl", "200", "text/html; charset=utf-8"),
                Arguments.of(base + "docs/data.bin", "200", "application/octet-stream"),
                Arguments.of(base + "docs/picture.unknown", "200", "image/png"),
                Arguments.of(base + "docs/missing.txt", "404", "text/plain; charset=utf-8"),
                Arguments.of("/package/sensor_input/9.9.9/", "404", "text/plain; charset=utf-8"),
                Arguments.of("/package/sensor_input/1.x/", "400", "text/plain; charset=utf-8"),
                Arguments.of("/search?prerelease=maybe", "400", "text/plain; charset=utf-8"),
                Arguments.of("/nowhere", "404", "text/plain; charset=utf-8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void sendsEprsExactContentType(String path, String status, String contentType) throws Exception {
        List<String> head = rawHead(path);
        assertThat(head.get(0)).as(path).startsWith("HTTP/1.1 " + status + " ");
        assertThat(head).as(path).filteredOn(line -> line.regionMatches(true, 0, "Content-Type:", 0, 13))
                .containsExactly("Content-Type: " + contentType);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sniffedFiles")
    void aSniffedFileIsSentWhole(String file) throws Exception {
        java.net.http.HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.localUri() + "/package/sensor_input/0.3.0/" + file)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.body()).isEqualTo(Files.readAllBytes(dir.resolve("packages/sensor_input/0.3.0/" + file)));
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    }

    static Stream<String> sniffedFiles() {
        return Stream.of("docs/NOTICE", "docs/page.tmpl", "docs/data.bin", "docs/picture.unknown", "agent/input/input.yml.hbs");
    }

    /** The status line and header lines exactly as sent. */
    private List<String> rawHead(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; matched < 4 && (b = in.read()) >= 0; ) {
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return List.of(head.toString(StandardCharsets.ISO_8859_1).split("\r\n"));
        }
    }
}
