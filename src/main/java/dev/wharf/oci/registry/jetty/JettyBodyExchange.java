package dev.wharf.oci.registry.jetty;

import dev.wharf.oci.registry.BodyExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;

/**
 * Every request without a body (reads of tags, manifests and blobs, checks, deletes) on Jetty's HTTP
 * client, one pool of connections per store. The JDK client moves every byte through its single
 * selector thread into a fresh 16 KB heap buffer per socket read (bench/RESULTS.md, figure 2), and
 * its manifest reads were a fifth of package-registry's index CPU (session 11); Jetty reads on the thread that asks
 * for the bytes, into buffers it takes from a pool and gets back. Only the exchange itself lives here:
 * the client follows no redirects, answers no 401, keeps no cookies and decodes no content, because
 * {@code RegistryTransport} does all of that for every call alike. Failures come out as the JDK
 * client's exception types so that retries and messages treat both clients the same. Proxies are the
 * JDK client's too: {@link SelectedProxies}.
 */
public final class JettyBodyExchange implements BodyExchange, AutoCloseable {
    private static final String NAME = "wharf-registry-http";
    /** How long an unused pooled connection stays open. */
    private static final Duration POOLED_IDLE = Duration.ofSeconds(30);
    /**
     * How long a thread of the pool waits for work before it ends. The pool's work comes in bursts
     * (an index pass, a download), between which it would keep a stack and a buffer cache for each
     * thread the burst made; Jetty's 60 s, one thread a minute, kept package-registry's eight for
     * eight minutes after its first index (bench/RESULTS.md, session 15). A thread is made again in
     * well under a millisecond.
     */
    private static final Duration THREAD_IDLE = Duration.ofSeconds(5);
    private static final int MAX_THREADS = 16;
    private static final int NETWORK_BUFFER = 64 * 1024;

    private final Supplier<SSLContext> tls;
    private final Duration connect;
    private final Duration idle;
    private final ProxySelector proxySelector;
    private final Duration threadIdle;
    private @Nullable Started started;
    private boolean closed;

    /**
     * The client starts at the first request: a store that is never used never holds its threads
     * and buffers.
     *
     * @param tls     the trust the rest of the store uses (a custom CA, or trust-all when insecure),
     *                asked for when the client starts, at the first request
     * @param connect the connect timeout (TCP and TLS)
     * @param idle    the longest silence allowed inside an answer body
     * @param proxies which proxy, if any, each request goes through (as for the store's JDK client)
     */
    public JettyBodyExchange(Supplier<SSLContext> tls, Duration connect, Duration idle, ProxySelector proxies) {
        this(tls, connect, idle, proxies, THREAD_IDLE);
    }

    /** As above, with how long an idle thread of the pool waits for work (tests shorten it). */
    JettyBodyExchange(Supplier<SSLContext> tls, Duration connect, Duration idle, ProxySelector proxies, Duration threadIdle) {
        this.tls = tls;
        this.connect = connect;
        this.idle = idle;
        this.proxySelector = proxies;
        this.threadIdle = threadIdle;
    }

    private synchronized HttpClient client(URI target) {
        if (closed) {
            throw new IllegalStateException("the registry store was closed; it sends no more requests");
        }
        Started now = started;
        if (now == null) {
            HttpClient http = start(tls.get(), connect, threadIdle);
            now = new Started(http, new SelectedProxies(proxySelector, http.getProxyConfiguration()));
            started = now;
        }
        now.proxies().prepare(target);
        return now.http();
    }

    private record Started(HttpClient http, SelectedProxies proxies) {
    }

    /** The started client, for tests; null before the first request. */
    synchronized @Nullable HttpClient startedClient() {
        return started == null ? null : started.http();
    }

    private static HttpClient start(SSLContext tls, Duration connect, Duration threadIdle) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new StoreTls(tls));
        connector.setSelectors(1);
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1);
        threads.setName(NAME);
        threads.setDaemon(true);
        threads.setReservedThreads(0);
        threads.setIdleTimeout((int) threadIdle.toMillis());
        // Every thread idle that long may end at once, not one per period (Jetty's default).
        threads.setMaxEvictCount(MAX_THREADS);
        connector.setExecutor(threads);
        HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
        // No header cache: Jetty gives each pooled connection a 100 KB table of the response headers
        // it saw, for a registry's few headers per answer; package-registry's eight connections kept
        // 0.8 MB of heap for it while idle (bench/RESULTS.md, session 15).
        transport.setHeaderCacheSize(0);
        HttpClient http = new HttpClient(transport);
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler(NAME + "-timer", true));
        http.setConnectTimeout(connect.toMillis());
        http.setIdleTimeout(POOLED_IDLE.toMillis());
        // As many connections as the JDK client would open (it has no bound): a download whose
        // client stopped reading keeps its connection, and no other read may queue behind it.
        http.setMaxConnectionsPerDestination(Integer.MAX_VALUE);
        http.setFollowRedirects(false);
        // Blob chunks are the client's network buffers (VerifiedJettyChunks), so this is also the size
        // of each write to the downloading client: 64 KB took a streamed download from 0.68-0.69 to
        // 0.74-0.78 of nginx's rate against 32 KB (the default 16 KB was worse still), and is the largest size the
        // client's buffer pool keeps; larger ones would be allocated, zeroed and dropped at every read.
        http.setResponseBufferSize(NETWORK_BUFFER);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for registry reads: " + e, e);
        }
        // Installed by start(): redirects and 401s are RegistryTransport's, content is passed on as stored.
        http.getProtocolHandlers().clear();
        http.getContentDecoderFactories().clear();
        return http;
    }

    /**
     * The store's TLS context as it is, with the JDK's protocols and cipher suites, as for every other
     * call of the store. Jetty would otherwise narrow them, and warn at each start about what the JDK
     * allows.
     */
    private static final class StoreTls extends SslContextFactory.Client {
        StoreTls(SSLContext tls) {
            setSslContext(tls);
            setExcludeProtocols();
            setExcludeCipherSuites();
        }

        @Override
        protected void checkConfiguration() {
            // The JDK client of the same store accepts the same; nothing to warn about here.
        }
    }

    @Override
    public HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
        if (request.bodyPublisher().map(body -> body.contentLength() != 0).orElse(false)) {
            throw new IllegalArgumentException("this client sends no request body: " + request.method() + " " + request.uri());
        }
        AnswerListener listener = new AnswerListener();
        Request jetty = client(request.uri()).newRequest(request.uri())
                .method(request.method())
                // Inside a body the reading stream bounds the silence, and only while someone reads;
                // a paused reader (a client that stopped taking bytes) must not kill the connection.
                .idleTimeout(0, TimeUnit.MILLISECONDS)
                .headers(fields -> request.headers().map().forEach((name, values) -> values.forEach(v -> fields.add(name, v))));
        jetty.send(listener);
        AnswerListener.Arrived arrived = awaitHeaders(listener, jetty, request.timeout());
        return new JettyAnswer(arrived.response().getStatus(), request, JettyAnswer.headers(arrived.response().getHeaders()),
                new ContentSourceStream(arrived.body(), jetty, idle), request.uri());
    }

    private static AnswerListener.Arrived awaitHeaders(AnswerListener listener, Request jetty, Optional<Duration> timeout)
            throws IOException, InterruptedException {
        try {
            return timeout.isPresent() ? listener.arrived().get(timeout.get().toNanos(), TimeUnit.NANOSECONDS) : listener.arrived().get();
        } catch (TimeoutException e) {
            HttpTimeoutException late = new HttpTimeoutException("request timed out");
            jetty.abort(late);
            throw late;
        } catch (InterruptedException e) {
            jetty.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw asJdkFailure(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** A failure before the answer's headers, typed as the JDK client types it ({@code RetryRule}, {@code RegistryFailures}). */
    static IOException asJdkFailure(Throwable failure) {
        for (@Nullable Throwable t = failure; t != null; t = t.getCause()) {
            // Before the headers only the connect (and name resolution) can time out: the
            // request's own timeout is awaitHeaders', and the idle timeout is off while exchanging.
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                HttpConnectTimeoutException connect = new HttpConnectTimeoutException("HTTP connect timed out");
                connect.initCause(failure);
                return connect;
            }
        }
        return failure instanceof IOException io ? io : new IOException(String.valueOf(failure.getMessage()), failure);
    }

    @Override
    public synchronized void close() {
        closed = true;
        Started now = started;
        started = null;
        if (now != null) {
            try {
                now.http().stop();
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop the HTTP client for registry reads: " + e, e);
            }
        }
    }
}
