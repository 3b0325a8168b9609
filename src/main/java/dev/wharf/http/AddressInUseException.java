package dev.wharf.http;

/** The listen address is taken (another process, or the other listener of the same program). */
public final class AddressInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ListenAddress address;

    AddressInUseException(ListenAddress address, Throwable cause) {
        super("cannot listen on " + address + ": the address is already in use", cause);
        this.address = address;
    }

    public ListenAddress address() {
        return address;
    }
}
