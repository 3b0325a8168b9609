package dev.wharf.http;

/**
 * Told of every request once it is complete, whichever handler answered it (the ready answers,
 * the router, Jetty's own error pages). It runs on the thread that completed the request, often a
 * selector thread that serves many connections: it must not block.
 */
@FunctionalInterface
public interface ExchangeObserver {
    void exchanged(Exchange exchange);
}
