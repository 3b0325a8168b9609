package dev.wharf.terraform.upload;

import dev.wharf.oci.Digest;
import dev.wharf.oci.IoFailures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The sha256 of a file to be stored, read as a stream; a file that cannot be read is an {@link UploadException}. */
public final class FileSha256 {
    private FileSha256() {
    }

    /** In hex, as a SHA256SUMS lists it. */
    public static String of(Path path) {
        MessageDigest digest = Digest.newSha256();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UploadException(IoFailures.cannotRead(path, e));
        }
        return Digest.ofSha256(digest).hex();
    }
}
