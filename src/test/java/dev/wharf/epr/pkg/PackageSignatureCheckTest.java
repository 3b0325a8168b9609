package dev.wharf.epr.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.testing.PgpKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Fleet (openpgp.js's verify, {@code signatures[0].verified}) refuses is refused here too: a
 * key that could not sign when the signature was made, a text-mode signature over bytes openpgp.js
 * does not hash, a SHA-1 digest; the first signature of a .sig is the one that counts.
 */
class PackageSignatureCheckTest {
    private static final String ZIP = "acme_logs-1.0.0.zip";
    // A lone CR and a lone LF, as any zip has: openpgp.js makes only the LF CRLF in a text-mode signature.
    private static final byte[] CONTENT = "PK\u0003\u0004 a\rb\nc\r\nd".getBytes(StandardCharsets.ISO_8859_1);
    private static final PgpKeys KEY = PgpKeys.generate("EPR CI <ci@wharf.invalid>");

    @TempDir
    Path dir;

    private PackageSignatureCheck check(PgpKeys key) throws Exception {
        return PackageSignatureCheck.upstreamKey(Files.writeString(dir.resolve("key.asc"), key.armoredPublicKey()));
    }

    private Path zip() throws Exception {
        return Files.write(dir.resolve(ZIP), CONTENT);
    }

    private Path sig(String armoured) throws Exception {
        return Files.writeString(dir.resolve(ZIP + ".sig"), armoured);
    }

    @Test
    void anArmouredSignatureByAValidKeyVerifies() throws Exception {
        assertThat(check(KEY).verify(zip(), sig(KEY.armoredDetachedSignature(CONTENT)), ZIP)).hasSize(16);
    }

    @Test
    void aBinarySigIsRefusedAsFleetReadsOnlyArmouredSignatures() throws Exception {
        Path binary = Files.write(dir.resolve(ZIP + ".sig"), KEY.detachedSignature(CONTENT));

        assertThatThrownBy(() -> check(KEY).verify(zip(), binary, ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessage(ZIP + ".sig is not ASCII-armoured; Fleet reads only armoured signatures");
    }

    @Test
    void anUpstreamSignatureOlderThanItsKeysOnlySelfSignatureVerifiesWhileAPublishersIsRefused() throws Exception {
        // As Elastic's key, whose self-signatures were all made again on 2023-09-05, and a package it signed before.
        Instant keyMade = Instant.now().minus(Duration.ofDays(30));
        PgpKeys original = PgpKeys.generate("EPR CI <ci@wharf.invalid>", Date.from(keyMade), 0);
        byte[] signature = original.detachedSignature(CONTENT, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256,
                Date.from(keyMade.plus(Duration.ofDays(10))));
        PgpKeys remade = original.withSelfSignatureRemadeAt(Date.from(keyMade.plus(Duration.ofDays(20))));
        Path key = Files.writeString(dir.resolve("key.asc"), remade.armoredPublicKey());
        Path sig = sig(PgpKeys.armoredSignatures(signature));

        assertThat(PackageSignatureCheck.upstreamKey(key).verify(zip(), sig, ZIP)).hasSize(16);
        assertThatThrownBy(() -> PackageSignatureCheck.publisherKey(key, "-publish-verification-key").verify(zip(), sig, ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageStartingWith(ZIP + " is signed by key ");
    }

    @Test
    void aKeyExpiredWhenTheSignatureWasMadeIsRefusedWithItsExpiry() throws Exception {
        Instant created = Instant.now().minus(Duration.ofDays(2));
        PgpKeys expired = PgpKeys.generate("EPR CI <ci@wharf.invalid>", Date.from(created), Duration.ofDays(1).toSeconds());
        Instant expiry = created.plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        assertThatThrownBy(() -> check(expired).verify(zip(), sig(expired.armoredDetachedSignature(CONTENT)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageStartingWith(ZIP + " is signed by key ")
                .hasMessageContaining("which expired on " + expiry + ", before the signature was made");
    }

    @Test
    void aSignatureMadeBeforeItsKeyExpiredStillVerifies() throws Exception {
        Instant created = Instant.now().minus(Duration.ofDays(2));
        PgpKeys expired = PgpKeys.generate("EPR CI <ci@wharf.invalid>", Date.from(created), Duration.ofDays(1).toSeconds());
        byte[] signature = expired.detachedSignature(CONTENT, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256,
                Date.from(created.plus(Duration.ofHours(1))));

        assertThat(check(expired).verify(zip(), sig(PgpKeys.armoredSignatures(signature)), ZIP)).hasSize(16);
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        PgpKeys revoked = PgpKeys.generate("EPR CI <ci@wharf.invalid>").revoked(RevocationReasonTags.KEY_COMPROMISED);

        assertThatThrownBy(() -> check(revoked).verify(zip(), sig(revoked.armoredDetachedSignature(CONTENT)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageMatching(ZIP.replace(".", "\\.") + " is signed by key [0-9A-F]{16}, which is revoked");
    }

    @Test
    void aKeyWhoseSelfSignatureDoesNotVerifyIsRefused() throws Exception {
        PgpKeys broken = PgpKeys.generate("EPR CI <ci@wharf.invalid>").withBrokenSelfSignature();

        assertThatThrownBy(() -> check(broken).verify(zip(), sig(broken.armoredDetachedSignature(CONTENT)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("which had no valid self-signature on a user ID when the signature was made");
    }

    @Test
    void aSubkeyBoundForSigningVerifiesAndOneBoundForEncryptionIsRefused() throws Exception {
        PgpKeys signing = PgpKeys.generateWithSubkey("EPR CI <ci@wharf.invalid>", true);
        assertThat(check(signing).verify(zip(), sig(signing.armoredDetachedSignature(CONTENT)), ZIP)).hasSize(16);

        PgpKeys encrypting = PgpKeys.generateWithSubkey("EPR CI <ci@wharf.invalid>", false);
        assertThatThrownBy(() -> check(encrypting).verify(zip(), sig(encrypting.armoredDetachedSignature(CONTENT)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("which is not a signing key (its binding signature does not flag it to sign data)");
    }

    @Test
    void aTextModeSignatureIsCheckedOverTheBytesFleetHashesNotWithEveryLoneCrMadeCrlf() throws Exception {
        // Bouncy Castle's signer hashes "a\r\nb" for "a\rb"; openpgp.js hashes "a\rb", so Fleet refuses this signature.
        byte[] text = KEY.detachedSignature(CONTENT, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256, new Date());

        assertThatThrownBy(() -> check(KEY).verify(zip(), sig(PgpKeys.armoredSignatures(text)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("does not match its signature");

        // Without a lone CR both hash the same bytes, and it verifies.
        byte[] lines = "a\nb\r\nc".getBytes(StandardCharsets.US_ASCII);
        byte[] overLines = KEY.detachedSignature(lines, PGPSignature.CANONICAL_TEXT_DOCUMENT, HashAlgorithmTags.SHA256, new Date());
        assertThat(check(KEY).verify(Files.write(dir.resolve(ZIP), lines), sig(PgpKeys.armoredSignatures(overLines)), ZIP)).hasSize(16);
    }

    @Test
    void aSha1SignatureIsRefusedAsFleetRefusesIt() throws Exception {
        byte[] sha1 = KEY.detachedSignature(CONTENT, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA1, new Date());

        assertThatThrownBy(() -> check(KEY).verify(zip(), sig(PgpKeys.armoredSignatures(sha1)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("over a SHA1 digest, which Fleet refuses for a package");
    }

    @Test
    void aSignatureDatedInTheFutureIsRefused() throws Exception {
        byte[] future = KEY.detachedSignature(CONTENT, PGPSignature.BINARY_DOCUMENT, HashAlgorithmTags.SHA256,
                Date.from(Instant.now().plus(Duration.ofDays(1))));

        assertThatThrownBy(() -> check(KEY).verify(zip(), sig(PgpKeys.armoredSignatures(future)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("in the future");
    }

    @Test
    void onlyTheFirstSignatureOfASigCountsAsForFleet() throws Exception {
        PgpKeys other = PgpKeys.generate("Someone else <else@wharf.invalid>");
        byte[] good = KEY.detachedSignature(CONTENT);
        byte[] byOther = other.detachedSignature(CONTENT);

        assertThatThrownBy(() -> check(KEY).verify(zip(), sig(PgpKeys.armoredSignatures(byOther, good)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageContaining("which is not in");
        assertThat(check(KEY).verify(zip(), sig(PgpKeys.armoredSignatures(good, byOther)), ZIP)).hasSize(16);
    }

    @Test
    void onlyTheFirstKeyOfTheFileVerifiesAsFleetReadsOnlyThatOne() throws Exception {
        PgpKeys second = PgpKeys.generate("Someone else <else@wharf.invalid>");
        PgpKeys third = PgpKeys.generate("A third <third@wharf.invalid>");
        Path file = Files.writeString(dir.resolve("keys.asc"), PgpKeys.armoredPublicKeys(KEY, second, third));
        PackageSignatureCheck check = PackageSignatureCheck.publisherKey(file, "-publish-verification-key");

        assertThat(check.verify(zip(), sig(KEY.armoredDetachedSignature(CONTENT)), ZIP)).hasSize(16);
        assertThatThrownBy(() -> check.verify(zip(), sig(second.armoredDetachedSignature(CONTENT)), ZIP))
                .isInstanceOf(InvalidPackageException.class)
                .hasMessageMatching(ZIP.replace(".", "\\.") + " is signed by key [0-9A-F]{16}, which is in -publish-verification-key but is"
                        + " not its first key, the only one packages are verified with: Fleet reads one key from its key file .*");
        assertThat(check.ignoredKeysWarning()).get().asString()
                .startsWith("-publish-verification-key " + file + " holds 3 OpenPGP keys; packages are verified with its first key only, "
                        + KEY.fingerprint() + ", and these are ignored: " + second.fingerprint() + ", " + third.fingerprint() + ". Fleet reads")
                .contains("openpgp.js readKey");
    }

    @Test
    void aSubkeyOfTheFirstKeyVerifiesWhenTheFileHoldsMore() throws Exception {
        PgpKeys signing = PgpKeys.generateWithSubkey("EPR CI <ci@wharf.invalid>", true);
        Path file = Files.writeString(dir.resolve("keys.asc"), PgpKeys.armoredPublicKeys(signing, KEY));

        assertThat(PackageSignatureCheck.upstreamKey(file).verify(zip(), sig(signing.armoredDetachedSignature(CONTENT)), ZIP)).hasSize(16);
        assertThat(PackageSignatureCheck.upstreamKey(file).ignoredKeysWarning()).get().asString()
                .startsWith(file + " holds 2 OpenPGP keys;").contains("ignored: " + KEY.fingerprint() + ".");
    }

    @Test
    void aFileOfOneKeyHasNothingToWarnOf() throws Exception {
        assertThat(check(KEY).ignoredKeysWarning()).isEmpty();
    }
}
