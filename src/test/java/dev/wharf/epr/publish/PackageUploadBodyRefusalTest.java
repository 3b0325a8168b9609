package dev.wharf.epr.publish;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.wharf.epr.TestPackages;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.RequestIds;
import dev.wharf.http.WebServer;
import dev.wharf.http.access.PublishAudit;
import dev.wharf.http.access.TokenHash;
import dev.wharf.http.access.TokensFile;
import dev.wharf.oci.ArtifactStore;
import dev.wharf.oci.layout.ImageLayoutStore;
import dev.wharf.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies PUT /api/v1/packages cannot take as sent, refused with what is wrong in the client's terms. */
class PackageUploadBodyRefusalTest {
    private static final String TAG = "gallery-2.0.0";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private interface Exchange {
        void with(URI upload, String token, ArtifactStore store) throws Exception;
    }

    private void serve(Exchange exchange) throws Exception {
        String token = TokenHash.newToken();
        Path tokens = dir.resolve("tokens.yml");
        Files.writeString(tokens, "tokens:\n  - name: ci\n    hash: \"" + TokenHash.of(token) + "\"\n    scopes: [\"publish:*\"]\n");
        try (ArtifactStore store = new ImageLayoutStore(dir.resolve("layout"))) {
            PackageUploadApi api = new PackageUploadApi(new TokensFile(tokens, Clock.systemUTC()),
                    new PackagePublisher(store, TestPackages.REPOSITORY, 64L << 20, true), () -> { },
                    new PublishAudit(new SimpleMeterRegistry()), 64L << 20);
            try (WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), Optional.empty(), api::register)) {
                exchange.with(URI.create(server.localUri() + "/api/v1/packages"), token, store);
            }
        }
    }

    /**
     * A zip sent with a Content-Encoding is refused before its body is read: nothing here decodes
     * it, and the bytes had been taken as the zip whatever the coding said (stored, here, where the
     * body says it is gzipped; a body really gzipped was refused as "not a zip file").
     */
    @Test
    void aPackageSentWithAContentEncodingIsRefusedWith415AndNotStored() throws Exception {
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), TAG, zip);
        serve((upload, token, store) -> {
            for (String coding : new String[] {"gzip", "br"}) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/zip").header("Content-Encoding", coding)
                        .PUT(HttpRequest.BodyPublishers.ofFile(zip)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(coding + ": " + refused.body()).isEqualTo(415);
                assertThat(refused.body()).contains("Content-Encoding '" + coding + "'", "send it as it is");
                assertThat(refused.headers().firstValue("Accept-Encoding")).hasValue("identity");
            }
            assertThat(store.exists(TestPackages.REPOSITORY, TAG)).isFalse();
        });
    }

    /**
     * A body that breaks off (the client stops sending and closes its side) is answered 502 with a request id, in the
     * body and as X-Request-Id, as every failure of the publish's storage and transfer is, and the log line that says
     * why starts with it; it had neither, so the line could not be told from another publish's.
     */
    @Test
    void aBodyThatBreaksOffIsAnswered502WithARequestIdThatNamesItsLogLine() throws Exception {
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), TAG, zip);
        byte[] half = Arrays.copyOf(Files.readAllBytes(zip), (int) Files.size(zip) / 2);
        serve((upload, token, store) -> {
            try (LogCapture log = LogCapture.of(PackageUploadApi.class.getName());
                 Socket socket = new Socket(InetAddress.getLoopbackAddress(), upload.getPort())) {
                String head = "PUT /api/v1/packages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/zip\r\nContent-Length: " + Files.size(zip) + "\r\n\r\n";
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(half);
                socket.getOutputStream().flush();
                socket.shutdownOutput();
                String answer = readAll(socket.getInputStream());

                assertThat(answer).startsWith("HTTP/1.1 502 ");
                String id = header(answer, RequestIds.HEADER);
                assertThat(answer).endsWith("\"the package could not be stored: its body broke off, or the server could not read it back"
                        + " (request id " + id + "; the server log has the details)\"}");
                assertThat(log.lines(Level.WARN)).singleElement(InstanceOfAssertFactories.STRING)
                        .startsWith("WARN " + PackageUploadApi.class.getName() + " request " + id + ": package publish failed: ");
            }
            assertThat(store.exists(TestPackages.REPOSITORY, TAG)).isFalse();
        });
    }

    /** The answer's bytes up to the server's close. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        in.transferTo(answer);
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** A header's value in a whole answer, or "no NAME" when it has none. */
    private static String header(String answer, String name) {
        for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "no " + name;
    }

    /** A multipart body that is broken is told so without naming the server's classes. */
    @Test
    void aBrokenMultipartBodyIsRefusedWithoutTheServersClassNames() throws Exception {
        serve((upload, token, store) -> {
            for (String type : new String[] {"multipart/form-data; boundary=zz", "multipart/form-data"}) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(upload).header("Authorization", "Bearer " + token)
                        .header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofString("not a form")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(type).isEqualTo(400);
                assertThat(refused.body()).as(type).contains("the multipart body cannot be read: ")
                        .doesNotContain("org.eclipse", "Exception", "jetty");
            }
        });
    }
}
