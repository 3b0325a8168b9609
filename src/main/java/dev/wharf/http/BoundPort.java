package dev.wharf.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * A listen address bound before the server that will accept on it is built. A server binds its ports
 * first and only then starts work that opens connections (its storage probe, its first index): an
 * outgoing connection takes a source port from the ephemeral range, and one taken before the bind could
 * be the very port the server was told to listen on (a port picked free from that range, as tests and
 * {@code :0}-style setups do). Bound as Jetty binds (address reuse on, the JDK's backlog); Jetty accepts
 * on this socket and closes it when it stops.
 */
public final class BoundPort implements AutoCloseable {
    private final ListenAddress address;
    private final ServerSocketChannel channel;

    private BoundPort(ListenAddress address, ServerSocketChannel channel) {
        this.address = address;
        this.channel = channel;
    }

    /** {@code address}, bound now; taken already, an {@link AddressInUseException}. */
    public static BoundPort bind(ListenAddress address) {
        ServerSocketChannel channel;
        try {
            channel = ServerSocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(address.host(), address.port()));
            return new BoundPort(address, channel);
        } catch (BindException e) {
            closeQuietly(channel);
            throw new AddressInUseException(address, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public ListenAddress address() {
        return address;
    }

    ServerSocketChannel channel() {
        return channel;
    }

    /** Frees the port; for a server that was never started on it (Jetty closes it otherwise). */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a listening socket that failed to bind or was never used: nothing to keep.
        }
    }
}
