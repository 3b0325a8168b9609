package dev.wharf.epr.upstream;

import dev.wharf.epr.TestPackages;
import dev.wharf.epr.api.ApiSettings;
import dev.wharf.epr.api.EprApi;
import dev.wharf.epr.fs.FileSystemIndexer;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.TlsFiles;
import dev.wharf.http.WebServer;
import dev.wharf.oci.archive.ArchiveLimits;
import dev.wharf.testing.PgpKeys;
import dev.wharf.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The upstream for proxy and mirror tests: a Wharf package registry in this JVM serving Wharf's test
 * packages (all but the broken one) as zips, each with an armoured signature by a test key, and
 * requiring signatures as EPR does by default.
 */
public final class SignedUpstream implements AutoCloseable {
    public static final List<String> PACKAGES = List.of("acme_logs/1.0.0", "acme_logs/1.1.0", "acme_logs/1.2.0-beta1",
            "gallery/2.0.0", "legacy_stack/1.0.0", "sensor_input/0.3.0");

    /** Changes the signed zips before they are served. */
    @FunctionalInterface
    public interface Tampering {
        void apply(Path zips) throws IOException;
    }

    private final PgpKeys key;
    private final Path zips;
    private final FileSystemIndexer indexer;
    private final WebServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private final boolean tls;

    private SignedUpstream(PgpKeys key, Path zips, FileSystemIndexer indexer, WebServer server, boolean tls) {
        this.key = key;
        this.zips = zips;
        this.indexer = indexer;
        this.server = server;
        this.tls = tls;
    }

    /** Packages (a subset of {@link #PACKAGES}) zipped and signed under {@code dir}, then served. */
    public static SignedUpstream start(Path dir, PgpKeys key, List<String> packages) throws Exception {
        return start(dir, key, packages, zips -> { });
    }

    /** Gives the signed zips' folder to {@code beforeServing} (to tamper with one) before serving it. */
    public static SignedUpstream start(Path dir, PgpKeys key, List<String> packages, Tampering beforeServing) throws Exception {
        return start(dir, key, packages, beforeServing, Optional.empty());
    }

    /** Served over HTTPS with {@code certificate} (an internal registry's, which a private CA signed). */
    public static SignedUpstream startTls(Path dir, PgpKeys key, List<String> packages, TestCertificates.SelfSigned certificate)
            throws Exception {
        Path cert = certificate.writePem(dir.resolve("upstream-tls"));
        return start(dir, key, packages, zips -> { }, TlsFiles.of(cert, cert.resolveSibling("key.pem"), null));
    }

    /** Packages served with no {@code .sig}, as an upstream that does not sign them (or a Wharf with -require-package-signatures=false). */
    public static SignedUpstream startUnsigned(Path dir, PgpKeys key, List<String> packages) throws Exception {
        return start(dir, key, packages, zips -> {
            for (String p : packages) {
                Files.delete(zips.resolve(p.replace('/', '-') + ".zip.sig"));
            }
        }, Optional.empty(), false);
    }

    private static SignedUpstream start(Path dir, PgpKeys key, List<String> packages, Tampering beforeServing, Optional<TlsFiles> tls)
            throws Exception {
        return start(dir, key, packages, beforeServing, tls, true);
    }

    private static SignedUpstream start(Path dir, PgpKeys key, List<String> packages, Tampering beforeServing, Optional<TlsFiles> tls,
                                        boolean requireSignatures) throws Exception {
        Path zips = dir.resolve("upstream-zips");
        Files.createDirectories(zips);
        for (String p : packages) {
            String tag = p.replace('/', '-');
            Path zip = zips.resolve(tag + ".zip");
            TestPackages.zipFolder(TestPackages.source().resolve(p), tag, zip);
            Files.writeString(zips.resolve(tag + ".zip.sig"), key.armoredDetachedSignature(Files.readAllBytes(zip)));
        }
        beforeServing.apply(zips);
        FileSystemIndexer indexer = new FileSystemIndexer(List.of(zips), true, requireSignatures, ArchiveLimits.DEFAULT, Clock.systemUTC());
        indexer.start();
        EprApi api = new EprApi(indexer, ApiSettings.defaults(), Clock.systemUTC());
        WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), tls, api::register);
        return new SignedUpstream(key, zips, indexer, server, tls.isPresent());
    }

    public static SignedUpstream start(Path dir, PgpKeys key) throws Exception {
        return start(dir, key, PACKAGES);
    }

    public URI url() {
        return URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.port() + "/");
    }

    public PgpKeys key() {
        return key;
    }

    /** The zip the upstream serves for {@code tag} ({@code name-version}). */
    public Path zip(String tag) {
        return zips.resolve(tag + ".zip");
    }

    /** GET {@code pathAndQuery} on the upstream, the body as bytes. */
    public HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url().resolve(pathAndQuery.substring(1))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public String text(String pathAndQuery) throws IOException, InterruptedException {
        return new String(get(pathAndQuery).body(), StandardCharsets.UTF_8);
    }

    public void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
        indexer.close();
    }
}
