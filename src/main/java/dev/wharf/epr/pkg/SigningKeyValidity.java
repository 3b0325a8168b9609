package dev.wharf.epr.pkg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Whether the key that made a package's signature could sign it when it did, as openpgp.js (Fleet's
 * {@code openpgp.verify}) decides before it calls a signature verified: the primary key not revoked,
 * with a valid self-certification of one of its user IDs at the signature's creation time, not
 * expired then; a subkey bound then by an unrevoked, unexpired binding signature flagged for signing
 * and carrying the subkey's back-signature; the primary key itself flagged for signing; the key not
 * newer than the signature; RSA of at least 2047 bits. Bouncy Castle checks only the signature's
 * mathematics, which had let packages signed with an expired or revoked key, or an encryption-only
 * subkey, through to a Fleet that then refused to install them.
 */
final class SigningKeyValidity {
    // openpgp.js's minRSABits.
    private static final int MIN_RSA_BITS = 2047;
    // A revocation with one of these reasons (a "soft" one) revokes only from its creation on; any other at every time.
    private static final Set<Integer> SOFT_REASONS = Set.of((int) RevocationReasonTags.KEY_SUPERSEDED,
            (int) RevocationReasonTags.KEY_RETIRED, (int) RevocationReasonTags.USER_NO_LONGER_VALID);
    private static final Set<Integer> CERTIFICATIONS = Set.of(PGPSignature.DEFAULT_CERTIFICATION, PGPSignature.NO_CERTIFICATION,
            PGPSignature.CASUAL_CERTIFICATION, PGPSignature.POSITIVE_CERTIFICATION);

    private SigningKeyValidity() {
    }

    /** Throws with one message starting with {@code what} unless {@code signer} (of {@code primary}'s key) could sign at {@code signed}. */
    static void require(PGPPublicKey primary, PGPPublicKey signer, Date signed, String what) throws InvalidPackageException {
        String id = PackageSignatureCheck.keyId(signer.getKeyID());
        Instant at = signed.toInstant();
        if (signer.getCreationTime().toInstant().isAfter(at)) {
            throw new InvalidPackageException(what + " is signed by key " + id + " with a signature dated " + at
                    + ", before the key was created (" + signer.getCreationTime().toInstant() + ")");
        }
        if ((signer.getAlgorithm() == PublicKeyAlgorithmTags.RSA_GENERAL || signer.getAlgorithm() == PublicKeyAlgorithmTags.RSA_SIGN)
                && signer.getBitStrength() < MIN_RSA_BITS) {
            throw new InvalidPackageException(what + " is signed by key " + id + ", an RSA key of " + signer.getBitStrength()
                    + " bits (Fleet takes " + MIN_RSA_BITS + " and more)");
        }
        PGPSignature self = requirePrimary(primary, at, what);
        if (signer == primary || signer.getKeyID() == primary.getKeyID()) {
            requireSigning(primary, self, id, what);
            return;
        }
        PGPSignature binding = latestValid(signaturesOfType(signer, PGPSignature.SUBKEY_BINDING), primary, at,
                s -> s.verifyCertification(primary, signer))
                .orElseThrow(() -> new InvalidPackageException(what + " is signed by subkey " + id + ", which "
                        + PackageSignatureCheck.keyId(primary.getKeyID()) + " had not bound (no valid binding signature) when the signature was made"));
        if (revoked(signaturesOfType(signer, PGPSignature.SUBKEY_REVOCATION), primary, at, s -> s.verifyCertification(primary, signer))) {
            throw new InvalidPackageException(what + " is signed by subkey " + id + ", which is revoked");
        }
        requireNotExpired(signer, binding, at, "subkey " + id, what);
        requireSigning(signer, binding, id, what);
        PGPSignatureList back = embedded(binding);
        boolean backSigned = false;
        for (PGPSignature s : back) {
            if (s.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING && validAt(s, at)
                    && verifies(s, signer, x -> x.verifyCertification(primary, signer))) {
                backSigned = true;
            }
        }
        if (!backSigned) {
            throw new InvalidPackageException(what + " is signed by subkey " + id + ", whose binding carries no valid back-signature"
                    + " by the subkey (a signing subkey must sign its own binding)");
        }
    }

    private static PGPSignature requirePrimary(PGPPublicKey primary, Instant at, String what) throws InvalidPackageException {
        String id = PackageSignatureCheck.keyId(primary.getKeyID());
        if (revoked(signaturesOfType(primary, PGPSignature.KEY_REVOCATION), primary, at, s -> s.verifyCertification(primary))) {
            throw new InvalidPackageException(what + " is signed by key " + id + ", which is revoked");
        }
        PGPSignature self = primarySelfCertification(primary, at).orElseThrow(() -> new InvalidPackageException(what
                + " is signed by key " + id + ", which had no valid self-signature on a user ID when the signature was made"));
        requireNotExpired(primary, self, at, "key " + id, what);
        Optional<PGPSignature> direct = latestValid(signaturesOfType(primary, PGPSignature.DIRECT_KEY), primary, at,
                s -> s.verifyCertification(primary));
        if (direct.isPresent()) {
            requireNotExpired(primary, direct.get(), at, "key " + id, what);
        }
        return self;
    }

    /**
     * As openpgp.js picks the primary user: of the user IDs with a valid, unrevoked self-certification
     * at {@code at}, the one flagged primary, else the newest.
     */
    private static Optional<PGPSignature> primarySelfCertification(PGPPublicKey primary, Instant at) {
        Optional<PGPSignature> best = Optional.empty();
        for (Iterator<byte[]> ids = primary.getRawUserIDs(); ids.hasNext(); ) {
            byte[] userId = ids.next();
            List<PGPSignature> certifications = new ArrayList<>();
            List<PGPSignature> revocations = new ArrayList<>();
            for (Iterator<PGPSignature> it = primary.getSignaturesForID(userId); it.hasNext(); ) {
                PGPSignature s = it.next();
                if (CERTIFICATIONS.contains(s.getSignatureType())) {
                    certifications.add(s);
                } else if (s.getSignatureType() == PGPSignature.CERTIFICATION_REVOCATION) {
                    revocations.add(s);
                }
            }
            Optional<PGPSignature> cert = latestValid(certifications, primary, at, s -> s.verifyCertification(userId, primary));
            if (cert.isEmpty() || revoked(revocations, primary, at, s -> s.verifyCertification(userId, primary))) {
                continue;
            }
            if (best.isEmpty() || rank(cert.get()) > rank(best.get())
                    || rank(cert.get()) == rank(best.get()) && !cert.get().getCreationTime().before(best.get().getCreationTime())) {
                best = cert;
            }
        }
        return best;
    }

    private static int rank(PGPSignature certification) {
        PGPSignatureSubpacketVector hashed = certification.getHashedSubPackets();
        return hashed != null && hashed.isPrimaryUserID() ? 1 : 0;
    }

    private static void requireNotExpired(PGPPublicKey key, PGPSignature self, Instant at, String name, String what)
            throws InvalidPackageException {
        PGPSignatureSubpacketVector hashed = self.getHashedSubPackets();
        long seconds = hashed == null ? 0 : hashed.getKeyExpirationTime();
        if (seconds > 0) {
            Instant expiry = key.getCreationTime().toInstant().plusSeconds(seconds);
            if (!at.isBefore(expiry)) {
                throw new InvalidPackageException(what + " is signed by " + name + ", which expired on " + expiry
                        + ", before the signature was made (" + at + ")");
            }
        }
    }

    private static void requireSigning(PGPPublicKey key, PGPSignature self, String id, String what) throws InvalidPackageException {
        PGPSignatureSubpacketVector hashed = self.getHashedSubPackets();
        int flags = hashed == null ? 0 : hashed.getKeyFlags();
        if ((flags & KeyFlags.SIGN_DATA) == 0 || !canSign(key.getAlgorithm())) {
            throw new InvalidPackageException(what + " is signed by key " + id + ", which is not a signing key (its "
                    + (key.isMasterKey() ? "self-signature" : "binding signature") + " does not flag it to sign data)");
        }
    }

    private static boolean canSign(int algorithm) {
        return algorithm != PublicKeyAlgorithmTags.RSA_ENCRYPT && algorithm != PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT
                && algorithm != PublicKeyAlgorithmTags.ELGAMAL_GENERAL && algorithm != PublicKeyAlgorithmTags.ECDH
                && algorithm != PublicKeyAlgorithmTags.X25519 && algorithm != PublicKeyAlgorithmTags.X448;
    }

    private static PGPSignatureList embedded(PGPSignature binding) {
        try {
            PGPSignatureSubpacketVector hashed = binding.getHashedSubPackets();
            return hashed == null ? new PGPSignatureList(new PGPSignature[0]) : hashed.getEmbeddedSignatures();
        } catch (PGPException e) {
            return new PGPSignatureList(new PGPSignature[0]);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean verify(PGPSignature initialised) throws PGPException;
    }

    /** The newest of {@code signatures} made by {@code by} that is valid at {@code at} and verifies. */
    private static Optional<PGPSignature> latestValid(List<PGPSignature> signatures, PGPPublicKey by, Instant at, Check check) {
        Optional<PGPSignature> latest = Optional.empty();
        for (PGPSignature s : signatures) {
            if (s.getKeyID() == by.getKeyID() && validAt(s, at)
                    && (latest.isEmpty() || !s.getCreationTime().before(latest.get().getCreationTime())) && verifies(s, by, check)) {
                latest = Optional.of(s);
            }
        }
        return latest;
    }

    /** A hard revocation revokes at every time; a soft one (superseded, retired) from its creation on. */
    private static boolean revoked(List<PGPSignature> revocations, PGPPublicKey by, Instant at, Check check) {
        for (PGPSignature s : revocations) {
            if (s.getKeyID() != by.getKeyID()) {
                continue;
            }
            PGPSignatureSubpacketVector hashed = s.getHashedSubPackets();
            boolean soft = hashed != null && hashed.getRevocationReason() != null
                    && SOFT_REASONS.contains(hashed.getRevocationReason().getRevocationReason() & 0xff);
            if ((!soft || validAt(s, at)) && verifies(s, by, check)) {
                return true;
            }
        }
        return false;
    }

    /** Created at or before {@code at} and not expired then. */
    static boolean validAt(PGPSignature s, Instant at) {
        Instant created = s.getCreationTime().toInstant();
        long valid = s.getHashedSubPackets() == null ? 0 : s.getHashedSubPackets().getSignatureExpirationTime();
        return !created.isAfter(at) && (valid == 0 || at.isBefore(created.plusSeconds(valid)));
    }

    private static boolean verifies(PGPSignature s, PGPPublicKey by, Check check) {
        try {
            s.init(new BcPGPContentVerifierBuilderProvider(), by);
            return check.verify(s);
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    private static List<PGPSignature> signaturesOfType(PGPPublicKey key, int type) {
        List<PGPSignature> out = new ArrayList<>();
        key.getSignaturesOfType(type).forEachRemaining(out::add);
        return out;
    }
}
