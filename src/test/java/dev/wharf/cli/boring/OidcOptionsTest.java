package dev.wharf.cli.boring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The OIDC client is built only for an issuer: building one loads the JDK's trust store at every start. */
class OidcOptionsTest {
    @Test
    void withoutAnIssuerNoClientIsBuilt() {
        OidcOptions oidc = new OidcOptions();
        AtomicInteger built = new AtomicInteger();
        Supplier<HttpClient> client = () -> {
            built.incrementAndGet();
            return HttpClient.newHttpClient();
        };
        assertThat(oidc.connect(client)).isEmpty();
        assertThat(built).hasValue(0);
    }
}
