package dev.wharf.terraform.mirror.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.terraform.mirror.MirrorCoordinates;
import dev.wharf.terraform.provider.GoJsonNames;
import dev.wharf.terraform.provider.SigningKeysFile;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * An upstream's answer to the provider registry protocol's download request, read as terraform reads
 * it: with Go's encoding/json, so member names in any case ({@link GoJsonNames}), and signing keys in
 * the protocol's one form ({@link SigningKeysFile#fromDownloadAnswer}); a member of another type is
 * refused ({@link UpstreamJson}), never converted.
 */
final class DownloadAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("os", "arch", "filename", "download_url", "shasums_url",
            "shasums_signature_url", "shasum", "signing_keys");

    private DownloadAnswer() {
    }

    /** The package {@code answer} (from {@code uri}) describes, with its signing keys in signing-keys.json's canonical form. */
    static UpstreamPackage read(MirrorCoordinates provider, String version, String os, String arch, URI uri, JsonNode answer) {
        JsonNode body = GoJsonNames.fold(answer, FIELDS, Set.of("protocols"));
        String filename = requiredText(body, "filename", uri);
        if (filename.contains("/") || filename.contains("\\")) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " names an unsafe file name '" + filename + "'");
        }
        ObjectNode keys;
        try {
            keys = SigningKeysFile.fromDownloadAnswer(JSON, body.path("signing_keys"));
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " gives signing keys terraform cannot read: "
                    + e.getMessage());
        }
        if (keys.path("gpg_public_keys").isEmpty()) {
            throw new UpstreamException(UpstreamException.Kind.VERIFICATION_FAILED, uri
                    + " gives no signing keys: the release cannot be verified, so it is not mirrored");
        }
        return new UpstreamPackage(provider.hostname(), provider.namespace(), provider.type(), version, os, arch, filename,
                HttpUpstreamRegistry.address(uri, requiredText(body, "download_url", uri), "download_url"),
                HttpUpstreamRegistry.address(uri, requiredText(body, "shasums_url", uri), "shasums_url"),
                HttpUpstreamRegistry.address(uri, requiredText(body, "shasums_signature_url", uri), "shasums_signature_url"),
                UpstreamJson.text(body, "shasum", "", uri).toLowerCase(Locale.ROOT),
                keys.toString());
    }

    private static String requiredText(JsonNode body, String field, URI uri) {
        JsonNode value = body.path(field);
        if (!value.isMissingNode() && !value.isTextual()) {
            throw UpstreamJson.wrongType(uri, field, value, "a string");
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new UpstreamException(UpstreamException.Kind.BAD_RESPONSE, uri + " answered without '" + field + "'");
        }
        return value.asText();
    }
}
