package dev.wharf.cli.epr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.epr.TestPackages;
import dev.wharf.testing.PgpKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    private Run push(Path zip) {
        var cl = PackageRegistryCommandLine.create(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("push", "-oci-registry", "oci-layout:" + dir.resolve("oci"), zip.toString());
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
        // gpg --detach-sign without --armor: Fleet reads only the armoured form.
        add(bad, "does not begin with -----BEGIN PGP SIGNATURE-----", KEY.detachedSignature(zipBytes));
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

        // Nothing of the refused pushes was stored: the version is still free, and pushed now with its real signature.
        Files.writeString(sig, armored);
        Run signed = push(zip);
        assertThat(signed.code()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("pushed " + TAG + " (signed)");
    }
}
