package dev.wharf.oci;

import java.util.concurrent.atomic.AtomicLong;

/** Hands out fresh {@link Generation}s, one cache's own: never {@link Generation#NONE}, never twice. */
public final class Generations {
    private final AtomicLong last = new AtomicLong(Generation.NONE.value());

    public Generation next() {
        return new Generation(last.incrementAndGet());
    }
}
