package dev.wharf.epr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Package zips answer a Range with the part, as EPR's {@code http.ServeFile} does, so a download
 * cut short resumes ({@code curl -C -}). Files read out of a zip, which cannot start anywhere, come
 * whole.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RangedDownloadsTest {
    private static final String ZIP = "/epr/acme_logs/acme_logs-1.1.0.zip";
    private FolderPackagesServer epr;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        epr = FolderPackagesServer.start("epr-ranges-");
    }

    @AfterAll
    void stop() throws IOException {
        epr.close();
    }

    @Test
    void aPackageZipAnswersARangeWithThatPart() throws Exception {
        HttpResponse<byte[]> whole = send(ZIP, "GET", null);
        byte[] zip = whole.body();
        assertThat(zip.length).isGreaterThan(100);
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(send(ZIP, "HEAD", null).headers().firstValue("Accept-Ranges")).hasValue("bytes");

        HttpResponse<byte[]> part = send(ZIP, "GET", "bytes=10-59");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-59/" + zip.length);
        assertThat(part.headers().firstValueAsLong("Content-Length")).hasValue(50);
        assertThat(part.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(zip, 10, 60));

        HttpResponse<byte[]> rest = send(ZIP, "GET", "bytes=60-");
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(zip, 60, zip.length));

        HttpResponse<byte[]> past = send(ZIP, "GET", "bytes=" + zip.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + zip.length);
        assertThat(past.headers().allValues("Cache-Control")).isEmpty();
        assertThat(past.body()).isEmpty();

        // Several ranges at once are answered with the whole, not a multipart body.
        HttpResponse<byte[]> several = send(ZIP, "GET", "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(zip);
    }

    /** A HEAD says what the GET would, as Go's ServeContent does: the part's status, range and length, and no body. */
    @Test
    void aHeadWithARangeIsAnsweredAsTheGetWouldBeWithoutTheBody() throws Exception {
        long size = send(ZIP, "GET", null).body().length;

        HttpResponse<byte[]> part = send(ZIP, "HEAD", "bytes=10-59");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 10-59/" + size);
        assertThat(part.headers().firstValueAsLong("Content-Length")).hasValue(50);
        assertThat(part.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(part.body()).isEmpty();

        HttpResponse<byte[]> past = send(ZIP, "HEAD", "bytes=" + size + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + size);

        HttpResponse<byte[]> whole = send(ZIP, "HEAD", null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValueAsLong("Content-Length")).hasValue(size);
    }

    /** A package kept as a folder: its files are files too. */
    @Test
    void aFileOfAPackageFolderAnswersARangeToo() throws Exception {
        String readme = "/package/acme_logs/1.1.0/docs/README.md";
        byte[] whole = send(readme, "GET", null).body();
        HttpResponse<byte[]> ranged = send(readme, "GET", "bytes=0-1");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(whole, 0, 2));
    }

    private HttpResponse<byte[]> send(String path, String method, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(epr.uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (range != null) {
            request.header("Range", range);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
