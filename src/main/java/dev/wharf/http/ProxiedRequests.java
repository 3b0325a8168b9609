package dev.wharf.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.jspecify.annotations.Nullable;

/**
 * What a proxy in front says of the client, believed as far as the flags allow, before any handler
 * sees the request, so that routes, the access log and the publish audit all see the same client.
 *
 * <ul>
 *   <li>{@code --http-trust-forwarded}: the scheme, host and port from {@code X-Forwarded-Proto},
 *       {@code -Host} and {@code -Port} (Jetty's customizer, with {@code Forwarded} and
 *       {@code X-Forwarded-For} turned off in it: it would take their leftmost address, the one the
 *       client wrote).
 *   <li>{@code --http-trusted-proxies}: the client's address from {@code X-Forwarded-For}
 *       ({@link TrustedProxies#clientBehind}); and, when both are given, the scheme and host too
 *       only from a connection of a trusted proxy, so that a client reaching the server directly
 *       cannot claim https.
 * </ul>
 */
final class ProxiedRequests implements HttpConfiguration.Customizer {
    private final boolean trustForwarded;
    private final TrustedProxies proxies;
    private final ForwardedRequestCustomizer forwarded = new ForwardedRequestCustomizer();

    ProxiedRequests(boolean trustForwarded, TrustedProxies proxies) {
        this.trustForwarded = trustForwarded;
        this.proxies = proxies;
        forwarded.setForwardedHeader("");
        forwarded.setForwardedForHeader("");
        // Only X-Forwarded-Proto, -Host and -Port are read, as documented: Jetty's others would let a client behind a
        // proxy that sets only those (and passes the rest on) name the server (X-Forwarded-Server) or claim https
        // (X-Proxied-Https, Proxy-ssl-id), and so change the origin, redirect URIs and cookie flags built from them.
        forwarded.setForwardedServerHeader("");
        forwarded.setForwardedHttpsHeader("");
        forwarded.setForwardedSslSessionIdHeader("");
        forwarded.setForwardedCipherSuiteHeader("");
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        InetAddress peer = peer(request);
        if (!proxies.isEmpty() && (peer == null || !proxies.trusts(peer))) {
            return request;
        }
        Request seen = trustForwarded ? forwarded.customize(request, responseHeaders) : request;
        if (proxies.isEmpty() || peer == null) {
            return seen;
        }
        InetAddress client = proxies.clientBehind(peer, request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        return client.equals(peer) ? seen : new FromClient(seen, new InetSocketAddress(client, 0));
    }

    private static @Nullable InetAddress peer(Request request) {
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }

    /** The request as if the client had connected itself; the port is not known, and 0 says so. */
    private static final class FromClient extends Request.Wrapper {
        private final ConnectionMetaData connection;

        FromClient(Request request, InetSocketAddress client) {
            super(request);
            this.connection = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
                @Override
                public SocketAddress getRemoteSocketAddress() {
                    return client;
                }
            };
        }

        @Override
        public ConnectionMetaData getConnectionMetaData() {
            return connection;
        }
    }
}
