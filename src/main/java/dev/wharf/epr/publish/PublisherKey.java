package dev.wharf.epr.publish;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageSignatureCheck;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code -publish-verification-key}: the key Fleet verifies the company's packages with
 * ({@code xpack.fleet.packageVerification.gpgKeyPath}). With it, a package is published only with a
 * {@code .sig} that verifies over the zip's bytes with that key: a form check alone
 * ({@link PackageSignatureFile}) had published packages signed with another key or over other
 * bytes, which Fleet then refused to install as unverified. Not {@code -verification-key}, which is
 * the upstream's key (Elastic's) for a mirror or pull-through, whose copies this key never checks.
 */
public final class PublisherKey {
    public static final String FLAG = "-publish-verification-key";

    private final PackageSignatureCheck check;

    private PublisherKey(PackageSignatureCheck check) {
        this.check = check;
    }

    /** Reads the armoured public key file; an IllegalArgumentException naming it when it holds none. */
    public static PublisherKey fromKeyFile(Path file) {
        // Refusals name the flag, not the file: the upload API's answers do not say where the server keeps its files.
        return new PublisherKey(PackageSignatureCheck.publisherKey(file, FLAG));
    }

    /**
     * Throws with one message unless {@code sig} is a file holding a signature of {@code zip}'s bytes
     * (read as a stream) by the key; {@code zipName} is the zip as the refusal names it.
     */
    public void require(Path zip, Path sig, String zipName) throws InvalidPackageException {
        if (!Files.isRegularFile(sig)) {
            throw new InvalidPackageException(zipName + " has no signature (" + zipName + ".sig): " + FLAG + " requires every published"
                    + " package to be signed with its key, which Fleet verifies packages with, so nothing was published");
        }
        try {
            check.verify(zip, sig, zipName);
        } catch (InvalidPackageException e) {
            throw new InvalidPackageException(e.getMessage() + "; Fleet would refuse to install it as unverified, so nothing was published", e);
        }
    }
}
