package dev.wharf.terraform.publish;

import dev.wharf.terraform.layout.ArchiveFormat;
import dev.wharf.terraform.upload.UploadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** What a module publish's body must be: the archive itself, a tar.gz or a zip, by its Content-Type or else its first bytes. */
final class ModuleBody {
    private ModuleBody() {
    }

    /**
     * Only a provider release comes in parts: a form upload of a module is refused before its body
     * is read, where it had been told, after reading it, to set a Content-Type it had set.
     */
    static void refuseForm(@Nullable String contentType) {
        if ("multipart/form-data".equalsIgnoreCase(mediaType(contentType))) {
            throw new UploadException("a module is sent as the archive itself, not as multipart/form-data:"
                    + " send the tar.gz or zip as the body (curl --data-binary @module.tar.gz)");
        }
    }

    /** The format the Content-Type declares, else the one the first bytes show. */
    static ArchiveFormat format(@Nullable String contentType, Path archive) throws IOException {
        Optional<ArchiveFormat> declared = ArchiveFormat.declaredBy(mediaType(contentType), null);
        if (declared.isPresent()) {
            return declared.get();
        }
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(archive)) {
            int n = in.readNBytes(head, 0, 2);
            if (n == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return ArchiveFormat.TAR_GZ;
            }
            if (n == 2 && head[0] == 'P' && head[1] == 'K') {
                return ArchiveFormat.ZIP;
            }
        }
        throw new UploadException("the body is neither a tar.gz nor a zip (send Content-Type application/gzip or application/zip)");
    }

    private static String mediaType(@Nullable String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim();
    }
}
