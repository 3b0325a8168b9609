package dev.wharf.oci.registry.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.StaticHttpServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
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

    /**
     * A burst leaves no idle threads behind for longer than the idle time: all of them end together,
     * not one per idle period as Jetty's pool does by default (twelve threads would then take twelve
     * periods). And pooled connections keep no table of the headers they saw.
     */
    @Test
    void theThreadsOfABurstEndTogetherOnceIdleAndConnectionsCacheNoHeaders() throws Exception {
        Duration idle = Duration.ofMillis(300);
        SSLContext tls = SSLContext.getDefault();
        try (StaticHttpServer server = StaticHttpServer.start().put("/v2/", "{}");
                JettyBodyExchange exchange = new JettyBodyExchange(() -> tls, Duration.ofSeconds(5),
                        Duration.ofSeconds(5), ProxySelector.of(null), idle)) {
            HttpResponse<InputStream> answer = exchange.send(HttpRequest.newBuilder(server.base().resolve("/v2/")).GET().build());
            try (InputStream body = answer.body()) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}");
            }
            HttpClient client = exchange.startedClient();
            assertThat(client).isNotNull();
            assertThat(((HttpClientTransportOverHTTP) client.getTransport()).getHeaderCacheSize()).isZero();
            QueuedThreadPool threads = (QueuedThreadPool) client.getExecutor();

            int burst = 12;
            CountDownLatch running = new CountDownLatch(burst);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < burst; i++) {
                threads.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(threads.getThreads()).isGreaterThanOrEqualTo(burst);
            release.countDown();

            // One thread per period would still leave about five of the twelve after 2 s.
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (threads.getThreads() > threads.getMinThreads() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(threads.getThreads()).isEqualTo(threads.getMinThreads());
        }
    }
}
