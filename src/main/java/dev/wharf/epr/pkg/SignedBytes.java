package dev.wharf.epr.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.PGPContentVerifier;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Whether a v4 document signature verifies over a file, hashed as openpgp.js hashes a message made
 * with {@code createMessage({binary})}: a binary signature over the bytes as they are, a text-mode
 * one over them with each LF not after a CR made CRLF and every other byte (a lone CR too) kept.
 * Not {@link PGPSignature#update}: Bouncy Castle makes a lone CR CRLF as well, so it took text-mode
 * signatures over bytes Fleet never hashes. The digest's first two bytes must be the ones the
 * signature carries, as openpgp.js requires. The file is read as a stream.
 */
final class SignedBytes {
    private static final int LF = '\n';
    private static final int CR = '\r';

    private SignedBytes() {
    }

    static boolean verify(PGPSignature sig, PGPPublicKey key, Path file, String what) throws InvalidPackageException {
        try {
            PGPContentVerifier verifier = new BcPGPContentVerifierBuilderProvider()
                    .get(sig.getKeyAlgorithm(), sig.getHashAlgorithm()).build(key);
            MessageDigest digest = MessageDigest.getInstance(PGPUtil.getDigestName(sig.getHashAlgorithm()));
            boolean text = sig.getSignatureType() == PGPSignature.CANONICAL_TEXT_DOCUMENT;
            try (OutputStream signed = verifier.getOutputStream(); InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                byte[] out = new byte[2 * buffer.length];
                int last = -1;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    int length = n;
                    byte[] bytes = buffer;
                    if (text) {
                        length = 0;
                        for (int i = 0; i < n; i++) {
                            int b = buffer[i] & 0xff;
                            if (b == LF && last != CR) {
                                out[length++] = CR;
                            }
                            out[length++] = buffer[i];
                            last = b;
                        }
                        bytes = out;
                    }
                    signed.write(bytes, 0, length);
                    digest.update(bytes, 0, length);
                }
                byte[] trailer = sig.getSignatureTrailer();
                signed.write(trailer);
                digest.update(trailer);
            }
            byte[] prefix = Arrays.copyOf(digest.digest(), 2);
            return Arrays.equals(prefix, sig.getDigestPrefix()) && verifier.verify(sig.getSignature());
        } catch (PGPException | IOException | NoSuchAlgorithmException | RuntimeException e) {
            throw new InvalidPackageException(what + ": cannot check its signature: " + e.getMessage(), e);
        }
    }
}
