package dev.wharf.oci.registry;

import dev.wharf.oci.Artifact;
import dev.wharf.oci.BlobSource;
import dev.wharf.oci.Layer;
import dev.wharf.oci.StorageException;
import dev.wharf.oci.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Run in a forked JVM by {@link RegistryTrustStoreTest}: uses the public constructor, so TLS trust
 * is whatever the JVM's defaults say ({@code -Djavax.net.ssl.trustStore}). Prints {@code OK} or the
 * storage failure's kind and message.
 */
public final class TrustStoreCheck {
    private TrustStoreCheck() {
    }

    public static void main(String[] args) {
        // Nothing configures logging in this JVM, and logback's default prints every DEBUG line of the HTTP client.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        RegistryArtifactStore store = new RegistryArtifactStore(new RegistrySettings(args[0], false,
                Optional.of(new Credentials.Basic(args[1], args[2]))));
        try {
            store.push("truststore/app", "1", Artifact.single("application/vnd.wharf.test.v1",
                    Layer.file("text/plain", "f.txt", BlobSource.ofBytes("trusted".getBytes(StandardCharsets.UTF_8)))), true);
            System.out.println(store.listTags("truststore/app").contains("1") ? "OK" : "MISSING TAG");
        } catch (StorageException e) {
            System.out.println(e.kind() + " " + e.getMessage());
            System.exit(1);
        }
    }
}
