package dev.wharf.epr.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks a package zip against its detached OpenPGP signature ({@code .zip.sig}, armoured as Elastic
 * publishes them, or binary) made by one of the keys of an armoured public key file such as
 * Elastic's {@code GPG-KEY-elasticsearch} (the upstream's, for a mirror or pull-through) or the
 * company's own (what may be published). The zip is read as a stream, never held in memory. Here, not
 * with the upstream's client or the publisher, because both use it and the upstream's copy publishes.
 */
public final class PackageSignatureCheck {
    private final PGPPublicKeyRingCollection keys;
    private final String source;

    private PackageSignatureCheck(PGPPublicKeyRingCollection keys, String source) {
        this.keys = keys;
        this.source = source;
    }

    /** Reads the key file; one clear error when it is not an OpenPGP public key. */
    public static PackageSignatureCheck fromKeyFile(Path file) {
        return fromKeyFile(file, file.toString());
    }

    /** As above; {@code name} is what a refusal calls the key ("which is not in {name}"), such as its flag where its path is the server's own. */
    public static PackageSignatureCheck fromKeyFile(Path file, String name) {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            PGPPublicKeyRingCollection rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            if (!rings.getKeyRings().hasNext()) {
                throw new IllegalArgumentException(file + " holds no OpenPGP public key");
            }
            return new PackageSignatureCheck(rings, name);
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException(file + " is not an armoured OpenPGP public key: " + e.getMessage(), e);
        }
    }

    /** Returns the signing key's id; throws, with one message naming {@code what}, when the zip does not verify. */
    public String verify(Path zip, Path signature, String what) throws InvalidPackageException {
        PGPSignature sig = readSignature(signature, what);
        PGPPublicKey key = keys.getPublicKey(sig.getKeyID());
        if (key == null) {
            throw refused(what + " is signed by key " + keyId(sig.getKeyID()) + ", which is not in " + source);
        }
        try (InputStream in = Files.newInputStream(zip)) {
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sig.update(buffer, 0, n);
            }
            if (!sig.verify()) {
                throw refused(what + " does not match its signature (by key " + keyId(sig.getKeyID()) + "): the zip was altered");
            }
            return keyId(sig.getKeyID());
        } catch (PGPException | IOException e) {
            throw refused(what + ": cannot check its signature: " + e.getMessage());
        }
    }

    private static PGPSignature readSignature(Path file, String what) throws InvalidPackageException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            Object object = new PGPObjectFactory(in, new BcKeyFingerprintCalculator()).nextObject();
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
            throw refused(what + ": its .sig is not an OpenPGP signature");
        } catch (IOException | RuntimeException e) {
            throw refused(what + ": its .sig is not an OpenPGP signature: " + e.getMessage());
        }
    }

    private static InvalidPackageException refused(String message) {
        return new InvalidPackageException(message);
    }

    private static String keyId(long id) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(id).array()).toUpperCase(Locale.ROOT);
    }
}
