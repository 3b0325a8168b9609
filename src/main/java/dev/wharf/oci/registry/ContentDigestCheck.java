package dev.wharf.oci.registry;

import dev.wharf.oci.Digest;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.StorageException.Kind;
import java.net.http.HttpResponse;
import java.util.Optional;

/** Compares the {@code Docker-Content-Digest} a registry reports for stored content with what was sent. */
final class ContentDigestCheck {
    private final RegistryAddress address;

    ContentDigestCheck(RegistryAddress address) {
        this.address = address;
    }

    void check(HttpResponse<?> answer, Digest expected, String repository, String what) {
        Optional<String> header = answer.headers().firstValue("Docker-Content-Digest");
        if (header.isPresent() && Digest.isDigest(header.get()) && Digest.parse(header.get()).algorithm().equals(expected.algorithm())
                && !Digest.parse(header.get()).equals(expected)) {
            throw new StorageException(Kind.CORRUPT, "registry " + address + ", repository " + repository + ": the registry stored the "
                    + what + " as " + header.get() + " but Wharf sent " + expected + "; the upload was altered on the way");
        }
    }
}
