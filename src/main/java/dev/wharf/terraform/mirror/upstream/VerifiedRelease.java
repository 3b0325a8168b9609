package dev.wharf.terraform.mirror.upstream;

import java.nio.file.Path;

/**
 * A provider package fetched from upstream whose SHA256SUMS signature verified and whose zip matched
 * its SHA256SUMS line. The archive lies in a temporary file the caller owns.
 */
public record VerifiedRelease(UpstreamPackage source, Path archive, byte[] sha256Sums, byte[] signature, String signingKeyId) {
}
