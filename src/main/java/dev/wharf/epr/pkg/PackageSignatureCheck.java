package dev.wharf.epr.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a package zip against its detached OpenPGP signature ({@code .zip.sig}, ASCII-armoured as
 * Elastic publishes them: Fleet reads no other form, so a binary one is refused) made by the first key of an armoured public key file
 * such as Elastic's {@code GPG-KEY-elasticsearch} (the upstream's, for a mirror or pull-through) or
 * the company's own (what may be published): Fleet reads its key file with openpgp.js's
 * {@code readKey}, which takes one key, so a signature by any later key of the file is one Fleet
 * does not verify. The zip is read as a stream, never held in memory. Here, not
 * with the upstream's client or the publisher, because both use it and the upstream's copy publishes.
 */
public final class PackageSignatureCheck {
    // openpgp.js's rejectMessageHashAlgorithms.
    private static final Set<Integer> REFUSED_DIGESTS = Set.of(HashAlgorithmTags.MD5, HashAlgorithmTags.RIPEMD160, HashAlgorithmTags.SHA1);

    private static final Logger LOG = LoggerFactory.getLogger(PackageSignatureCheck.class);

    private final PGPPublicKeyRing first;
    private final List<PGPPublicKeyRing> ignored;
    private final String source;
    private final Path file;
    private final boolean validNowSuffices;

    private PackageSignatureCheck(PGPPublicKeyRing first, List<PGPPublicKeyRing> ignored, String source, Path file,
                                  boolean validNowSuffices) {
        this.first = first;
        this.ignored = List.copyOf(ignored);
        this.source = source;
        this.file = file;
        this.validNowSuffices = validNowSuffices;
    }

    /**
     * The upstream's key file ({@code -verification-key}, Elastic's {@code GPG-KEY-elasticsearch}), for
     * what a mirror or pull-through copies; one clear error when it is not an OpenPGP public key. A
     * signing key that cannot be shown valid when it signed is still taken when it is valid now, as
     * openpgp.js does with {@code allowInsecureVerificationWithReformattedKeys}: Elastic's key was
     * given new self-signatures on 2023-09-05 (SHA-256 ones) and holds no older one, so a package
     * signed before then has no self-signature of its key dated before it, yet is Elastic's as surely
     * as it was: refused, every such version the upstream still serves would be left out of a mirror.
     */
    public static PackageSignatureCheck upstreamKey(Path file) {
        return read(file, file.toString(), true);
    }

    /**
     * The publisher's key file ({@code -publish-verification-key}): the key must have been valid when it
     * signed, as Fleet's openpgp.js asks by default. {@code name} is what a refusal calls the key
     * ("which is not in {name}"), its flag, the path being the server's own.
     */
    public static PackageSignatureCheck publisherKey(Path file, String name) {
        return read(file, name, false);
    }

    private static PackageSignatureCheck read(Path file, String name, boolean validNowSuffices) {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            // In the file's order, which PGPPublicKeyRingCollection does not keep: the first key is the one Fleet reads.
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            PGPObjectFactory objects = new PGPObjectFactory(in, new BcKeyFingerprintCalculator());
            for (Object o = objects.nextObject(); o != null; o = objects.nextObject()) {
                if (!(o instanceof PGPPublicKeyRing ring)) {
                    throw new IllegalArgumentException(file + " is not an armoured OpenPGP public key: it holds a "
                            + o.getClass().getSimpleName() + " where a public key was expected");
                }
                rings.add(ring);
            }
            if (rings.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no OpenPGP public key");
            }
            PackageSignatureCheck check = new PackageSignatureCheck(rings.get(0), rings.subList(1, rings.size()), name, file, validNowSuffices);
            // The file is read once, at start-up: said then, not with every refusal.
            check.ignoredKeysWarning().ifPresent(LOG::warn);
            return check;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException(file + " is not an armoured OpenPGP public key: " + e.getMessage(), e);
        }
    }

    /**
     * What a key file of several keys is told at start-up: which keys are left out, and why. Empty
     * for a file of one key.
     */
    public Optional<String> ignoredKeysWarning() {
        if (ignored.isEmpty()) {
            return Optional.empty();
        }
        String named = source.equals(file.toString()) ? source : source + " " + file;
        return Optional.of(named + " holds " + (ignored.size() + 1) + " OpenPGP keys; packages are verified with its first key only, "
                + fingerprint(first) + ", and these are ignored: " + ignored.stream().map(PackageSignatureCheck::fingerprint)
                .collect(Collectors.joining(", ")) + ". Fleet reads its key file (xpack.fleet.packageVerification.gpgKeyPath) with"
                + " openpgp.js readKey, which takes one key (and refuses a file of several: \"Key block contains multiple keys\"),"
                + " so a package signed by another key is not verified by Fleet; keep only the signing key in the file");
    }

    private static String fingerprint(PGPPublicKeyRing ring) {
        return HexFormat.of().formatHex(ring.getPublicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    }

    /**
     * Returns the signing key's id; throws, with one message naming {@code what}, when Fleet would not
     * call the package verified. As Fleet (openpgp.js, {@code signatures[0].verified}) only the first
     * signature of the {@code .sig} counts: it must be a v4 signature of the zip by the file's first
     * key (or a subkey of it), over the zip's bytes (a text-mode one over them with each lone LF made CRLF, as openpgp.js
     * hashes it), with a digest openpgp.js takes for a message (not MD5, RIPEMD-160 or SHA-1), not
     * dated in the future nor expired, by a key that could sign when it was made
     * ({@link SigningKeyValidity}).
     */
    public String verify(Path zip, Path signature, String what) throws InvalidPackageException {
        PGPSignature sig = readSignature(signature, what);
        String id = keyId(sig.getKeyID());
        PGPPublicKey key = first.getPublicKey(sig.getKeyID());
        if (key == null) {
            if (ignored.stream().anyMatch(r -> r.getPublicKey(sig.getKeyID()) != null)) {
                throw refused(what + " is signed by key " + id + ", which is in " + source + " but is not its first key, the only one"
                        + " packages are verified with: Fleet reads one key from its key file (openpgp.js readKey)");
            }
            throw refused(what + " is signed by key " + id + ", which is not in " + source);
        }
        if (sig.getVersion() != 4) {
            throw refused(what + " has a version " + sig.getVersion() + " signature (by key " + id + "); Fleet verifies version 4 ones");
        }
        if (REFUSED_DIGESTS.contains(sig.getHashAlgorithm())) {
            throw refused(what + " is signed (by key " + id + ") over a " + digestName(sig.getHashAlgorithm())
                    + " digest, which Fleet refuses for a package");
        }
        Instant now = Instant.now();
        Instant created = sig.getCreationTime().toInstant();
        if (created.isAfter(now)) {
            throw refused(what + " has a signature (by key " + id + ") dated " + created + ", in the future");
        }
        if (!SigningKeyValidity.validAt(sig, now)) {
            throw refused(what + " has a signature (by key " + id + ") that expired on "
                    + created.plusSeconds(sig.getHashedSubPackets().getSignatureExpirationTime()));
        }
        if (!SignedBytes.verify(sig, key, zip, what)) {
            throw refused(what + " does not match its signature (by key " + id + "): the zip was altered");
        }
        try {
            SigningKeyValidity.require(first.getPublicKey(), key, sig.getCreationTime(), what);
        } catch (InvalidPackageException atSigning) {
            if (!validNowSuffices) {
                throw atSigning;
            }
            try {
                SigningKeyValidity.require(first.getPublicKey(), key, Date.from(now), what);
            } catch (InvalidPackageException alsoNow) {
                throw atSigning;
            }
        }
        return id;
    }

    /**
     * The refusal of a {@code .sig} ({@code sigName}, such as {@code acme-1.0.0.zip.sig}) that is not
     * ASCII armour, a binary one above all ({@code gpg --detach-sign} without {@code --armor}): Fleet
     * reads a package's signature with openpgp.js {@code readSignature({armoredSignature})}, which
     * fails on it, so Fleet would not verify the package.
     */
    public static String notArmoured(String sigName) {
        return sigName + " is not ASCII-armoured; Fleet reads only armoured signatures";
    }

    private static PGPSignature readSignature(Path file, String what) throws InvalidPackageException {
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            // Bouncy Castle reads a binary signature as well; openpgp.js, as Fleet calls it, does not.
            if (!(in instanceof ArmoredInputStream armoured) || armoured.getArmorHeaderLine() == null) {
                throw refused(notArmoured(what + ".sig"));
            }
            Object object = new PGPObjectFactory(in, new BcKeyFingerprintCalculator()).nextObject();
            if (object instanceof PGPSignatureList list && !list.isEmpty()) {
                return list.get(0);
            }
            throw refused(what + ": its .sig is not an OpenPGP signature");
        } catch (IOException | RuntimeException e) {
            throw refused(what + ": its .sig is not an OpenPGP signature: " + e.getMessage());
        }
    }

    private static String digestName(int algorithm) {
        try {
            return PGPUtil.getDigestName(algorithm);
        } catch (PGPException e) {
            return "unknown (" + algorithm + ")";
        }
    }

    private static InvalidPackageException refused(String message) {
        return new InvalidPackageException(message);
    }

    static String keyId(long id) {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8).putLong(id).array()).toUpperCase(Locale.ROOT);
    }
}
