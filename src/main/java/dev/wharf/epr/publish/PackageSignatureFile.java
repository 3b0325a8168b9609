package dev.wharf.epr.publish;

import dev.wharf.epr.pkg.InvalidPackageException;
import dev.wharf.epr.pkg.PackageSignatureCheck;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * A package's {@code .sig} as Fleet reads it: Kibana verifies a package with openpgp.js's
 * {@code readSignature({armoredSignature})}, so a {@code .sig} that is binary, empty or anything but
 * one armoured detached signature was stored, served, and failed every install of a package that
 * looked published. Checked before anything is pushed; the zip is checked against it only with a
 * key to check it with ({@link PublisherKey}).
 */
public final class PackageSignatureFile {
    /** Far above an armoured signature (some hundred bytes; a few kB with several signatures). */
    private static final int MAX_BYTES = 64 * 1024;
    private static final String BEGIN = "-----BEGIN PGP SIGNATURE-----";
    private static final String END = "-----END PGP SIGNATURE-----";

    private PackageSignatureFile() {
    }

    /** Throws with one message naming {@code what} (such as {@code acme-1.0.0.zip.sig}) unless {@code sig} is one. */
    public static void require(Path sig, String what) throws InvalidPackageException, IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(sig)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw refused(what, "is larger than " + MAX_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1).strip();
        if (text.isEmpty()) {
            throw refused(what, "is empty");
        }
        if ((bytes[0] & 0x80) != 0) {
            // An OpenPGP packet's first byte has its high bit set: gpg --detach-sign without --armor.
            throw new InvalidPackageException(PackageSignatureCheck.notArmoured(what) + ", so nothing was published");
        }
        if (!text.startsWith(BEGIN)) {
            throw refused(what, "does not begin with " + BEGIN);
        }
        int end = text.indexOf(END);
        if (end < 0) {
            throw refused(what, "has no " + END + " line");
        }
        if (end + END.length() != text.length()) {
            throw refused(what, "holds more after its " + END + " line");
        }
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            PGPObjectFactory packets = new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
            Object first = packets.nextObject();
            if (!(first instanceof PGPSignatureList list) || list.isEmpty()) {
                throw refused(what, "holds no OpenPGP signature");
            }
            for (PGPSignature s : list) {
                if (s.getSignatureType() != PGPSignature.BINARY_DOCUMENT && s.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
                    throw refused(what, "holds a signature of type " + s.getSignatureType() + ", not of a file");
                }
            }
            if (packets.nextObject() != null) {
                throw refused(what, "holds more than signatures");
            }
            // The armour's checksum is compared once its last byte is read.
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            throw refused(what, "cannot be read: " + e.getMessage());
        }
    }

    private static InvalidPackageException refused(String what, String why) {
        return new InvalidPackageException(what + " is not an armoured detached OpenPGP signature (as gpg --armor --detach-sign"
                + " writes): it " + why + "; Fleet could not verify the package with it, so nothing was published");
    }
}
