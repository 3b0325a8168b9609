package dev.wharf.http;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} that has its {@link ReloadingTrustManager} look at the CA files before each
 * new connection's engine is made. Before the handshake, not in it: a handshake that resumes a
 * cached session never asks the trust manager, so a file looked at only there would never be seen
 * to drop a CA while sessions resume. Both of Wharf's HTTP clients (the JDK's and Jetty's) make one
 * engine per connection.
 */
final class RefreshingSslContext extends SSLContextSpi {
    private final SSLContext delegate;
    private final ReloadingTrustManager trust;

    private RefreshingSslContext(SSLContext delegate, ReloadingTrustManager trust) {
        this.delegate = delegate;
        this.trust = trust;
    }

    /** {@code delegate}, initialized with {@code trust} alone, seen through a context that refreshes it. */
    static SSLContext of(SSLContext delegate, ReloadingTrustManager trust) throws KeyManagementException {
        delegate.init(null, new TrustManager[] {trust}, null);
        return new SSLContext(new RefreshingSslContext(delegate, trust), delegate.getProvider(), delegate.getProtocol()) { };
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trusts, SecureRandom random) {
        throw new UnsupportedOperationException("initialized once, with its reloading trust");
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
        trust.refresh();
        return delegate.createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
        trust.refresh();
        return delegate.createSSLEngine(host, port);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
        trust.refresh();
        return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return delegate.getServerSocketFactory();
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
        return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
        return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
        return delegate.getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
        return delegate.getSupportedSSLParameters();
    }
}
