package dev.wharf.terraform.mirror.upstream;

import java.net.URI;

/**
 * The upstream's answer to {@code GET …/{version}/download/{os}/{arch}}, with its URLs resolved
 * against the upstream. {@code signingKeysJson} is the {@code signing_keys} object as the upstream
 * sent it ({@code {"gpg_public_keys":[…]}}).
 */
public record UpstreamPackage(String hostname, String namespace, String type, String version, String os, String arch,
                              String filename, URI downloadUrl, URI shasumsUrl, URI shasumsSignatureUrl,
                              String shasum, String signingKeysJson) {
}
