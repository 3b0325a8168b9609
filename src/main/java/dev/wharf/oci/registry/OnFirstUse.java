package dev.wharf.oci.registry;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Something a store makes when its first request needs it, once, however many requests ask at the
 * same moment: its HTTP clients and the TLS context they share. A TLS context costs 90 ms of CPU
 * (the JDK's cipher suites and random source), the JDK's default one as much again to read its
 * trusted certificates (bench/RESULTS.md, session 14). Made while a server was wired, that time sat on
 * the main thread before the listeners; made by the first request, it runs on the start probe's (or the
 * first index's) thread beside them.
 */
final class OnFirstUse<T> implements Supplier<T> {
    private final Supplier<T> make;
    private volatile @Nullable T made;

    OnFirstUse(Supplier<T> make) {
        this.make = make;
    }

    @Override
    public T get() {
        T value = made;
        if (value != null) {
            return value;
        }
        synchronized (this) {
            value = made;
            if (value == null) {
                value = make.get();
                made = value;
            }
            return value;
        }
    }
}
