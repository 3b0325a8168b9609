package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.PgpKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.bcpg.sig.RevocationReasonTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push} refuses a {@code .sig} Fleet cannot read as an armoured detached signature, in one
 * line and with nothing pushed: it had been stored and served, and Fleet failed to verify a package
 * that looked published.
 */
class PushSignatureRefusalTest {
    private static final PgpKeys KEY = PgpKeys.generate("EPR CI <ci@wharf.invalid>");
    private static final String TAG = "gallery-2.0.0";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run push(Path zip, String... flags) {
        var cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> args = new java.util.ArrayList<>(List.of("push", "-oci-registry", "oci-layout:" + dir.resolve("oci")));
        args.addAll(List.of(flags));
        args.add(zip.toString());
        int code = cl.execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static void add(List<Map.Entry<String, byte[]>> to, String why, byte[] sig) {
        to.add(Map.entry(why, sig));
    }

    @Test
    void aSigThatIsNoArmouredDetachedSignatureIsRefusedInOneLineAndNothingIsPushed() throws Exception {
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), TAG, zip);
        byte[] zipBytes = Files.readAllBytes(zip);
        String armored = KEY.armoredDetachedSignature(zipBytes);
        List<Map.Entry<String, byte[]>> bad = new java.util.ArrayList<>();
        add(bad, "does not begin with -----BEGIN PGP SIGNATURE-----", "not a signature\n".getBytes(StandardCharsets.UTF_8));
        add(bad, "is empty", new byte[0]);
        add(bad, "cannot be read", "-----BEGIN PGP SIGNATURE-----\n\nd2hhcmYgdGVzdA==\n-----END PGP SIGNATURE-----\n"
                .getBytes(StandardCharsets.UTF_8));
        add(bad, "holds more after its -----END PGP SIGNATURE----- line", (armored + armored).getBytes(StandardCharsets.UTF_8));
        add(bad, "has no -----END PGP SIGNATURE----- line", armored.substring(0, armored.indexOf("-----END")).getBytes(StandardCharsets.UTF_8));
        add(bad, "holds no OpenPGP signature", KEY.armoredPublicKey().replace("PUBLIC KEY BLOCK", "SIGNATURE")
                .getBytes(StandardCharsets.UTF_8));
        Path sig = dir.resolve(TAG + ".zip.sig");
        for (Map.Entry<String, byte[]> refusal : bad) {
            Files.write(sig, refusal.getValue());
            Run run = push(zip);
            assertThat(run.code()).as(run.err()).isEqualTo(1);
            List<String> lines = run.err().lines().filter(l -> !l.startsWith("warning:")).toList();
            assertThat(lines).as(run.err()).singleElement().asString()
                    .startsWith("push " + zip + ": " + TAG + ".zip.sig is not an armoured detached OpenPGP signature")
                    .contains(refusal.getKey(), "nothing was published");
            assertThat(run.out()).isEmpty();
        }

        // gpg --detach-sign without --armor: Fleet reads only the armoured form.
        Files.write(sig, KEY.detachedSignature(zipBytes));
        Run binary = push(zip);
        assertThat(binary.code()).as(binary.err()).isEqualTo(1);
        assertThat(binary.err().lines().filter(l -> !l.startsWith("warning:")).toList()).as(binary.err()).containsExactly("push " + zip
                + ": " + TAG + ".zip.sig is not ASCII-armoured; Fleet reads only armoured signatures, so nothing was published");
        assertThat(binary.out()).isEmpty();

        // Nothing of the refused pushes was stored: the version is still free, and pushed now with its real signature.
        Files.writeString(sig, armored);
        Run signed = push(zip);
        assertThat(signed.code()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("pushed " + TAG + " (signed)");
    }

    /**
     * With {@code -publish-verification-key}, the key Fleet verifies packages with, a package is pushed
     * only with a {@code .sig} that verifies over its zip with that key: one signed with another key
     * or over other bytes had been pushed, and Fleet then refused to install it as unverified.
     */
    @Test
    void withAPublisherKeyOnlyAPackageSignedOverItsZipWithThatKeyIsPushed() throws Exception {
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), TAG, zip);
        byte[] zipBytes = Files.readAllBytes(zip);
        Path key = Files.writeString(dir.resolve("company.asc"), KEY.armoredPublicKey());
        PgpKeys other = PgpKeys.generate("Someone else <else@wharf.invalid>");
        Path sig = dir.resolve(TAG + ".zip.sig");
        String flag = "-publish-verification-key";

        Run unsigned = push(zip, flag, key.toString());
        assertThat(unsigned.code()).as(unsigned.err()).isEqualTo(1);
        assertThat(unsigned.err().lines().toList()).as(unsigned.err()).containsExactly("push " + zip + ": " + TAG + ".zip has no signature ("
                + TAG + ".zip.sig): -publish-verification-key requires every published package to be signed with its key, which Fleet"
                + " verifies packages with, so nothing was published");

        Files.writeString(sig, other.armoredDetachedSignature(zipBytes));
        Run otherKey = push(zip, flag, key.toString());
        assertThat(otherKey.code()).as(otherKey.err()).isEqualTo(1);
        assertThat(otherKey.err().lines().toList()).as(otherKey.err()).singleElement().asString()
                .startsWith("push " + zip + ": " + TAG + ".zip is signed by key ")
                .endsWith(", which is not in -publish-verification-key; Fleet would refuse to install it as unverified, so nothing was published")
                .doesNotContain(key.toString());

        Files.writeString(sig, KEY.armoredDetachedSignature("other bytes".getBytes(StandardCharsets.UTF_8)));
        Run otherBytes = push(zip, flag, key.toString());
        assertThat(otherBytes.code()).as(otherBytes.err()).isEqualTo(1);
        assertThat(otherBytes.err().lines().toList()).as(otherBytes.err()).singleElement().asString()
                .startsWith("push " + zip + ": " + TAG + ".zip does not match its signature (by key ")
                .endsWith("; Fleet would refuse to install it as unverified, so nothing was published");

        Path notAKey = Files.writeString(dir.resolve("not-a-key.asc"), "not a key\n");
        Run badKey = push(zip, flag, notAKey.toString());
        assertThat(badKey.code()).as(badKey.err()).isEqualTo(2);
        assertThat(badKey.err()).startsWith(flag + ": " + notAKey + " ");

        // Nothing of the refused pushes was stored: the version is still free, and pushed now, signed with the key over its zip.
        Files.writeString(sig, KEY.armoredDetachedSignature(zipBytes));
        Run signed = push(zip, flag, key.toString());
        assertThat(signed.code()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("pushed " + TAG + " (signed)");
    }

    @Test
    void aPackageSignedWithAPublisherKeyThatIsRevokedOrExpiredIsNotPushed() throws Exception {
        Path zip = dir.resolve(TAG + ".zip");
        TestPackages.zipFolder(TestPackages.source().resolve("gallery/2.0.0"), TAG, zip);
        byte[] zipBytes = Files.readAllBytes(zip);
        Path sig = dir.resolve(TAG + ".zip.sig");
        String flag = "-publish-verification-key";

        PgpKeys revoked = PgpKeys.generate("EPR CI <ci@wharf.invalid>").revoked(RevocationReasonTags.KEY_COMPROMISED);
        Path revokedKey = Files.writeString(dir.resolve("revoked.asc"), revoked.armoredPublicKey());
        Files.writeString(sig, revoked.armoredDetachedSignature(zipBytes));
        Run byRevoked = push(zip, flag, revokedKey.toString());
        assertThat(byRevoked.code()).as(byRevoked.err()).isEqualTo(1);
        assertThat(byRevoked.err().lines().toList()).as(byRevoked.err()).singleElement().asString()
                .startsWith("push " + zip + ": " + TAG + ".zip is signed by key ")
                .endsWith(", which is revoked; Fleet would refuse to install it as unverified, so nothing was published");

        Instant created = Instant.now().minus(Duration.ofDays(2));
        PgpKeys expired = PgpKeys.generate("EPR CI <ci@wharf.invalid>", Date.from(created), Duration.ofDays(1).toSeconds());
        Path expiredKey = Files.writeString(dir.resolve("expired.asc"), expired.armoredPublicKey());
        Files.writeString(sig, expired.armoredDetachedSignature(zipBytes));
        Run byExpired = push(zip, flag, expiredKey.toString());
        assertThat(byExpired.code()).as(byExpired.err()).isEqualTo(1);
        assertThat(byExpired.err().lines().toList()).as(byExpired.err()).singleElement().asString()
                .startsWith("push " + zip + ": " + TAG + ".zip is signed by key ")
                .contains(", which expired on " + created.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS) + ", before the signature was made")
                .endsWith("; Fleet would refuse to install it as unverified, so nothing was published");

        // Neither was stored: the version is still free for the package signed with a valid key.
        Files.writeString(sig, KEY.armoredDetachedSignature(zipBytes));
        Path key = Files.writeString(dir.resolve("company.asc"), KEY.armoredPublicKey());
        Run signed = push(zip, flag, key.toString());
        assertThat(signed.code()).as(signed.err()).isZero();
    }
}
