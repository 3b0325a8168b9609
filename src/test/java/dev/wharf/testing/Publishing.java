package dev.wharf.testing;

import dev.wharf.http.access.NewToken;
import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.publish.PublishClient;
import dev.wharf.terraform.upload.ExcludePatterns;
import dev.wharf.terraform.upload.ModuleArchiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Helpers for tests of publishing over HTTP: tokens files, module archives, and raw PUTs. */
public final class Publishing {
    private static final String BOUNDARY = "wharf-test-boundary";
    /** The Content-Type of a body made by {@link #multipart}. */
    public static final String MULTIPART_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private Publishing() {
    }

    /** A multipart/form-data body of these files (name to content), in memory (test sizes only). */
    public static byte[] multipart(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : new TreeMap<>(files).descendingMap().entrySet()) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + file.getKey() + "\"; filename=\"" + file.getKey()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(file.getValue());
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A token and its entry, made by the code 'token create' runs. */
    public static NewToken token(String name, String... scopes) {
        return NewToken.create(name, List.of(scopes), Optional.empty());
    }

    public static NewToken expiredToken(String name, String... scopes) {
        return NewToken.create(name, List.of(scopes), Optional.of(Instant.parse("2020-01-01T00:00:00Z")));
    }

    /** Writes a tokens file holding these entries. */
    public static Path writeTokens(Path file, NewToken... tokens) throws IOException {
        StringBuilder yaml = new StringBuilder("tokens:\n");
        for (NewToken t : tokens) {
            yaml.append(t.entry().yaml());
        }
        // Written aside and moved in, as an editor or config tool would: the server never sees half a file.
        Path temp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(temp, yaml);
        return Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A tar.gz of a module folder, written as upload module writes it. */
    public static Path moduleArchive(Path moduleDir, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            new ModuleArchiver(ExcludePatterns.of(List.of())).write(moduleDir, ArchiveFormat.TAR_GZ, out);
        }
        return target;
    }

    /** PUT with a bearer token (none when null); the answer. */
    public static HttpResponse<String> put(HttpClient http, URI url, String token, String contentType, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", contentType).PUT(body);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The client upload --server uses, for multipart provider releases. */
    public static PublishClient client(URI server, String token, HttpClient http) {
        return new PublishClient(server, token, http);
    }
}
