package dev.wharf.terraform.mirror;

import dev.wharf.oci.Digest;
import dev.wharf.terraform.mirror.upstream.HttpUpstreamRegistry;
import dev.wharf.terraform.mirror.upstream.SignatureCheck;
import dev.wharf.terraform.mirror.upstream.UpstreamHosts;
import dev.wharf.testing.StaticHttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A provider registry made of static files, for the mirror service's tests, with a stand-in signature
 * scheme (the signature is the SHA-256 of the SHA256SUMS); the end-to-end tests use a real Wharf with
 * OpenPGP signatures as upstream.
 */
final class StaticUpstream implements AutoCloseable {
    static final String KEYS = "{\"gpg_public_keys\":[{\"key_id\":\"51DE\",\"ascii_armor\":\"stand-in\"}]}";
    static final SignatureCheck STAND_IN = (sums, signature, keys) -> {
        if (!Arrays.equals(signature, signatureOf(sums))) {
            throw new IllegalStateException("stand-in signature mismatch");
        }
        return "51DE";
    };

    final StaticHttpServer server = StaticHttpServer.start();

    StaticUpstream() {
        server.put("/.well-known/terraform.json", "{\"providers.v1\":\"/v1/providers/\"}");
    }

    /** Writes the zip of one platform at the path given. */
    @FunctionalInterface
    interface ZipMaker {
        Path write(Path zip, String platform) throws IOException;
    }

    /** Publishes {@code acme/TYPE} VERSION with one zip per platform; returns the zips by platform. */
    Map<String, Path> publish(Path dir, String type, String version, List<String> platforms) throws IOException {
        return publish(dir, type, version, platforms, (zip, platform) -> TestZips.provider(zip, type, version, platform));
    }

    /** The same, correctly signed, with zips made by {@code maker}. */
    Map<String, Path> publish(Path dir, String type, String version, List<String> platforms, ZipMaker maker) throws IOException {
        Map<String, Path> zips = new java.util.LinkedHashMap<>();
        StringBuilder sums = new StringBuilder();
        StringBuilder platformJson = new StringBuilder();
        for (String platform : platforms) {
            String[] p = platform.split("_");
            String name = "terraform-provider-" + type + "_" + version + "_" + platform + ".zip";
            Path zip = maker.write(dir.resolve(version).resolve(name), platform);
            zips.put(platform, zip);
            sums.append(Digest.sha256(Files.readAllBytes(zip)).hex()).append("  ").append(name).append('\n');
            platformJson.append(platformJson.length() == 0 ? "" : ",").append("{\"os\":\"").append(p[0]).append("\",\"arch\":\"").append(p[1]).append("\"}");
            server.put("/files/" + name, Files.readAllBytes(zip));
        }
        String sumsName = "terraform-provider-" + type + "_" + version + "_SHA256SUMS";
        server.put("/files/" + sumsName, sums.toString());
        server.put("/files/" + sumsName + ".sig", signatureOf(sums.toString().getBytes(StandardCharsets.UTF_8)));
        for (String platform : platforms) {
            String[] p = platform.split("_");
            String name = "terraform-provider-" + type + "_" + version + "_" + platform + ".zip";
            server.put("/v1/providers/acme/" + type + "/" + version + "/download/" + p[0] + "/" + p[1], """
                    {"protocols":["5.0"],"os":"%s","arch":"%s","filename":"%s","download_url":"/files/%s",
                     "shasums_url":"/files/%s","shasums_signature_url":"/files/%s.sig","shasum":"%s","signing_keys":%s}
                    """.formatted(p[0], p[1], name, name, sumsName, sumsName,
                    Digest.sha256(Files.readAllBytes(zips.get(platform))).hex(), KEYS));
        }
        versions.put(version, "{\"version\":\"" + version + "\",\"protocols\":[\"5.0\"],\"platforms\":[" + platformJson + "]}");
        server.put("/v1/providers/acme/" + type + "/versions", "{\"versions\":[" + String.join(",", versions.values()) + "]}");
        return zips;
    }

    private final Map<String, String> versions = new java.util.TreeMap<>();

    HttpUpstreamRegistry client() {
        return new HttpUpstreamRegistry(HttpUpstreamRegistry.client(Optional.empty(), Duration.ofSeconds(5)),
                UpstreamHosts.parse(List.of("registry.example.test=" + server.base())), STAND_IN, Duration.ofSeconds(10));
    }

    static byte[] signatureOf(byte[] sums) {
        return Digest.sha256(sums).hex().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
