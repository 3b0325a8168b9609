package dev.wharf.cli;

import dev.wharf.http.AddressInUseException;
import dev.wharf.http.BoundPort;
import dev.wharf.http.ListenAddress;
import dev.wharf.http.WebServer;
import java.util.function.Supplier;

/** Starts a listener; an address in use becomes one line naming the address and the flag that sets it. */
public final class Listeners {
    private Listeners() {
    }

    /**
     * {@code address} bound now, before the work that opens connections ({@link BoundPort} says why); an
     * invalid or taken address becomes one line naming the flag.
     */
    public static BoundPort bind(String flag, String address) {
        ListenAddress parsed;
        try {
            parsed = ListenAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
        try {
            return BoundPort.bind(parsed);
        } catch (AddressInUseException e) {
            throw new IllegalArgumentException(e.getMessage() + "; choose another with " + flag, e);
        }
    }

    public static WebServer start(String flag, Supplier<WebServer> start) {
        try {
            return start.get();
        } catch (AddressInUseException e) {
            throw new IllegalArgumentException(e.getMessage() + "; choose another with " + flag, e);
        }
    }
}
