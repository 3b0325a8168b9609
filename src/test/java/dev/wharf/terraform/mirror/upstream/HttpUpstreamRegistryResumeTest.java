package dev.wharf.terraform.mirror.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.testing.FaultProxy;
import dev.wharf.testing.FaultProxy.Fault;
import dev.wharf.testing.LogCapture;
import dev.wharf.testing.NginxFiles;
import dev.wharf.testing.StaticHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider zip whose download is cut part-way is resumed from where it stopped, as curl and
 * go-getter resume one: the zip lies on nginx (ranges, a strong ETag, Last-Modified, If-Range, as
 * release files are served), behind a {@link FaultProxy} that cuts its answers; the registry's answers
 * come from a static server. The signature is the stand-in of {@link HttpUpstreamRegistryTest}.
 */
class HttpUpstreamRegistryResumeTest {
    private static final MirrorCoordinates DUMMY = new MirrorCoordinates("registry.example.test", "acme", "dummy");
    private static final String ZIP_NAME = "terraform-provider-dummy_1.0.0_linux_amd64.zip";
    private static final String ZIP_PATH = "/releases/" + ZIP_NAME;
    /** 64 KiB, so each cut (half of an answer's body) leaves a part to resume. */
    private static final byte[] ZIP = new byte[64 << 10];

    static {
        new Random(42).nextBytes(ZIP);
    }

    @TempDir
    Path temp;
    private final List<AutoCloseable> started = new ArrayList<>();
    private StaticHttpServer registry;
    /** The pauses between tries the downloads asked for, none of them waited. */
    private final List<Duration> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(temp.resolve("files/releases"));
        Files.write(temp.resolve("files" + ZIP_PATH), ZIP);
        Files.createDirectories(temp.resolve("downloads"));
        registry = keep(StaticHttpServer.start());
        String sums = Digest.sha256(ZIP).hex() + "  " + ZIP_NAME + "\n";
        registry.put("/.well-known/terraform.json", "{\"providers.v1\":\"/v1/providers/\"}")
                .put("/SUMS", sums)
                .put("/SUMS.sig", Digest.sha256(sums.getBytes(StandardCharsets.UTF_8)).hex());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void aDownloadCutOnceIsResumedFromWhereItStoppedNamingTheFileAsFirstServed() throws Exception {
        NginxFiles files = files("");
        FaultProxy proxy = cuttingTheFirstAnswerBefore(files.host());

        VerifiedRelease release = fetchThrough(proxy);

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        List<FaultProxy.Request> asked = zipRequests(proxy);
        assertThat(asked).hasSize(2);
        assertThat(asked.get(0).header("Range")).isEmpty();
        assertThat(asked.get(1).header("Range")).contains("bytes=" + ZIP.length / 2 + "-");
        String etag = head(files, "ETag");
        assertThat(etag).startsWith("\"");
        assertThat(asked.get(1).header("If-Range")).contains(etag);
    }

    /** A reset may lose bytes already sent; the resume starts from the last byte written, whatever it is. */
    @Test
    void aResetDownloadIsResumed() throws Exception {
        FaultProxy proxy = keep(FaultProxy.before(files("").host()));
        proxy.inject(Fault.RESET_MID_BODY, first(1));

        VerifiedRelease release = fetchThrough(proxy);

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        assertThat(zipRequests(proxy)).hasSize(2);
    }

    /** Without an ETag (or with a weak one) the If-Range is the Last-Modified the file was first served with. */
    @Test
    void withoutAStrongEtagTheResumeNamesTheFileByItsLastModified() throws Exception {
        NginxFiles files = files("etag off;");
        FaultProxy proxy = cuttingTheFirstAnswerBefore(files.host());

        VerifiedRelease release = fetchThrough(proxy);

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        List<FaultProxy.Request> asked = zipRequests(proxy);
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1).header("Range")).contains("bytes=" + ZIP.length / 2 + "-");
        assertThat(asked.get(1).header("If-Range")).contains(head(files, "Last-Modified"));
    }

    /** Each answer, the whole file's 200 and every range's 206, is cut at half its body. */
    @Test
    void aDownloadCutOnEveryTryFailsAtTheBoundNamingTheTriesAndLeavesNothing() throws Exception {
        FaultProxy proxy = keep(FaultProxy.before(files("").host()));
        proxy.inject(Fault.TRUNCATE_BODY, r -> r.path().equals(ZIP_PATH));

        assertThatThrownBy(() -> fetchThrough(proxy))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.UNREACHABLE))
                .hasMessageStartingWith("downloading " + ZIP_NAME + " from http://" + proxy.host() + " was cut 4 times, the last at byte "
                        + (ZIP.length - ZIP.length / 16) + " of " + ZIP.length + " (")
                .hasMessageEndingWith("); Wharf tries a download 4 times, resuming where it was cut");
        assertThat(zipRequests(proxy)).extracting(r -> r.header("Range").orElse("whole"))
                .containsExactly("whole", "bytes=32768-", "bytes=49152-", "bytes=57344-");
        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
        try (var left = Files.list(temp.resolve("downloads"))) {
            assertThat(left).isEmpty();
        }
    }

    /** nginx with max_ranges 0 answers a range with the whole file (200): what was read is dropped, and the file taken whole. */
    @Test
    void anUpstreamThatIgnoresRangesSendsTheWholeFileAgainAndOnlyThatIsKept() throws Exception {
        FaultProxy proxy = cuttingTheFirstAnswerBefore(files("max_ranges 0;").host());

        VerifiedRelease release = fetchThrough(proxy);

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        assertThat(zipRequests(proxy)).extracting(r -> r.header("Range").orElse("whole")).containsExactly("whole", "bytes=32768-");
    }

    /** The first proxy cuts the first answer; the second, nearer nginx, names every 206's part one byte early. */
    @Test
    void aResumeAnsweredWithAnotherPartIsRefusedInOneLineAndNothingIsKept() throws Exception {
        FaultProxy shifting = keep(FaultProxy.before(files("").host()));
        shifting.inject(Fault.SHIFTED_CONTENT_RANGE);
        FaultProxy cutting = cuttingTheFirstAnswerBefore(shifting.host());

        assertThatThrownBy(() -> fetchThrough(cutting))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BAD_RESPONSE))
                .hasMessage(ZIP_NAME + " from http://" + cutting.host() + " answered the resume at byte 32768 with Content-Range"
                        + " 'bytes 32767-65534/65536', not the rest of the file (bytes 32768-65535/65536); nothing of the download is kept");
        assertThat(zipRequests(cutting)).hasSize(2);
        try (var left = Files.list(temp.resolve("downloads"))) {
            assertThat(left).isEmpty();
        }
    }

    /**
     * The first proxy cuts the first answer; the second, nearer nginx, answers every 206 as from another version of
     * the file (other validators, other bytes), as an upstream that ignores If-Range would after the file changed:
     * the part is dropped and the whole file asked again, where it had been joined and failed as a checksum mismatch.
     */
    @Test
    void aResumeAnsweredWithAPartOfAnotherVersionIsDroppedAndTheFileAskedAgainWhole() throws Exception {
        NginxFiles files = files("");
        FaultProxy cutting = cuttingTheFirstAnswerBeforeAChangedFile(files);

        VerifiedRelease release;
        try (LogCapture log = LogCapture.of(ArchiveDownload.class.getName())) {
            release = fetchThrough(cutting);
            assertThat(log.lines(Level.WARN)).containsExactly("WARN " + ArchiveDownload.class.getName() + " " + ZIP_NAME + " from http://"
                    + cutting.host() + " answered the resume at byte 32768 with a part with ETag \"another-version\" where the If-Range"
                    + " named " + head(files, "ETag") + ": the file changed since it was first served; what was read is dropped and the"
                    + " file asked again whole (try 3 of 4)");
        }

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        List<FaultProxy.Request> asked = zipRequests(cutting);
        assertThat(asked).extracting(r -> r.header("Range").orElse("whole")).containsExactly("whole", "bytes=32768-", "whole");
        assertThat(asked.get(2).header("If-Range")).isEmpty();
    }

    /** Without an ETag the If-Range is a date, and the 206's Last-Modified must be that very date. */
    @Test
    void aResumeAnsweredWithAPartOfAnotherDateIsDroppedAndTheFileAskedAgainWhole() throws Exception {
        NginxFiles files = files("etag off;");
        FaultProxy cutting = cuttingTheFirstAnswerBeforeAChangedFile(files);

        VerifiedRelease release;
        try (LogCapture log = LogCapture.of(ArchiveDownload.class.getName())) {
            release = fetchThrough(cutting);
            assertThat(log.lines(Level.WARN)).singleElement().asString().contains(" answered the resume at byte 32768 with a part with"
                    + " Last-Modified Mon, 01 Jan 2035 00:00:00 GMT where the If-Range named " + head(files, "Last-Modified") + ": ");
        }

        assertThat(Files.readAllBytes(release.archive())).isEqualTo(ZIP);
        assertThat(zipRequests(cutting)).extracting(r -> r.header("Range").orElse("whole")).containsExactly("whole", "bytes=32768-", "whole");
    }

    /** A proxy cutting the first answer, before one answering every 206 as from another version of the file. */
    private FaultProxy cuttingTheFirstAnswerBeforeAChangedFile(NginxFiles files) {
        FaultProxy changing = keep(FaultProxy.before(files.host()));
        changing.inject(Fault.CHANGED_FILE_RANGE);
        return cuttingTheFirstAnswerBefore(changing.host());
    }

    /**
     * The spool file is a link to /dev/full, whose every write the kernel refuses as a full disk (root too): the
     * server's failure, naming the file, where it had been said as the upstream's ("downloading … failed: No space left
     * on device", a 502); the link is removed and the upstream asked once.
     */
    @Test
    void aDownloadTheLocalDiskRefusesIsThisServersFailureNamingTheFileAndLeavesNothing() throws Exception {
        Path full = Path.of("/dev/full");
        FaultProxy proxy = keep(FaultProxy.before(files("").host()));
        Path spooled = temp.resolve("downloads/upstream-full.zip");

        assertThatThrownBy(() -> fetchThrough(proxy, dir -> Files.createSymbolicLink(dir.resolve("upstream-full.zip"), full)))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.WRITE_FAILED))
                .hasMessage("cannot write the download of " + ZIP_NAME + " from http://" + proxy.host() + " to " + spooled
                        + ": No space left on device");
        assertThat(zipRequests(proxy)).hasSize(1);
        assertThat(pauses).isEmpty();
        try (var left = Files.list(temp.resolve("downloads"))) {
            assertThat(left).isEmpty();
        }
    }

    private VerifiedRelease fetchThrough(FaultProxy proxy) {
        return fetchThrough(proxy, DownloadSpool.TEMP_FILES);
    }

    private VerifiedRelease fetchThrough(FaultProxy proxy, DownloadSpool spool) {
        registry.put("/v1/providers/acme/dummy/1.0.0/download/linux/amd64", """
                {"protocols":["5.0"],"os":"linux","arch":"amd64","filename":"%s","download_url":"http://%s%s",
                 "shasums_url":"/SUMS","shasums_signature_url":"/SUMS.sig","shasum":"%s",
                 "signing_keys":{"gpg_public_keys":[{"key_id":"ABCD","ascii_armor":"armor"}]}}
                """.formatted(ZIP_NAME, proxy.host(), ZIP_PATH, Digest.sha256(ZIP).hex()));
        HttpUpstreamRegistry client = new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(5)),
                UpstreamHosts.parse(List.of("registry.example.test=" + registry.base())), HttpUpstreamRegistryResumeTest::standInCheck,
                Duration.ofSeconds(30), spool, pauses::add);
        return client.fetch(client.packageFor(DUMMY, "1.0.0", "linux", "amd64"), temp.resolve("downloads"));
    }

    private static String standInCheck(byte[] sums, byte[] signature, String keys) {
        if (!Arrays.equals(signature, Digest.sha256(sums).hex().getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalStateException("stand-in signature mismatch");
        }
        return "ABCD";
    }

    private NginxFiles files(String directives) {
        return keep(NginxFiles.serve(temp.resolve("nginx"), temp.resolve("files"), directives));
    }

    /** A proxy before {@code upstream} ("host:port") that cuts its first answer for the zip at half its body, closing cleanly. */
    private FaultProxy cuttingTheFirstAnswerBefore(String upstream) {
        FaultProxy proxy = keep(FaultProxy.before(upstream));
        proxy.inject(Fault.TRUNCATE_BODY, first(1));
        return proxy;
    }

    /** The first {@code n} requests for the zip. */
    private static Predicate<FaultProxy.Request> first(int n) {
        AtomicInteger seen = new AtomicInteger();
        return r -> r.path().equals(ZIP_PATH) && seen.incrementAndGet() <= n;
    }

    private static List<FaultProxy.Request> zipRequests(FaultProxy proxy) {
        return proxy.requests().stream().filter(r -> r.path().equals(ZIP_PATH)).toList();
    }

    /** A header of nginx's answer for the zip, asked directly. */
    private static String head(NginxFiles files, String name) throws Exception {
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(files.base() + ZIP_PATH))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        return answer.headers().firstValue(name).orElseThrow(() -> new AssertionError("nginx sent no " + name));
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        started.add(closeable);
        return closeable;
    }
}
