package dev.wharf.oci.registry.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * Jetty's failures before an answer come out typed as the JDK client types them, because the retry
 * rule and the failure messages of the store judge both clients by those types.
 */
class JettyBodyExchangeTest {
    @Test
    void aConnectThatTimesOutIsTheJdksConnectTimeout() {
        for (Throwable jetty : new Throwable[] {new SocketTimeoutException("Connect Timeout"),
                new IOException("cannot connect", new TimeoutException("address resolution"))}) {
            IOException seen = JettyBodyExchange.asJdkFailure(jetty);
            assertThat(seen).isInstanceOf(HttpConnectTimeoutException.class).hasCause(jetty);
        }
    }

    @Test
    void refusalsResetsAndTlsFailuresKeepTheirOwnTypes() {
        for (IOException jetty : new IOException[] {new ConnectException("Connection refused"), new EOFException("reset"),
                new SSLHandshakeException("PKIX path building failed")}) {
            assertThat(JettyBodyExchange.asJdkFailure(jetty)).isSameAs(jetty);
        }
    }

    @Test
    void aFailureThatIsNoIoExceptionIsWrappedWithItsCause() {
        UnresolvedAddressException unresolved = new UnresolvedAddressException();
        assertThat(JettyBodyExchange.asJdkFailure(unresolved)).isInstanceOf(IOException.class).hasCause(unresolved);
    }
}
