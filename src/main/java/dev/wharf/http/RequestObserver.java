package dev.wharf.http;

/** Told of every answered request, whichever path answered it; metrics hang off this. */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (route, method, status, micros) -> { };

    void observe(String route, String method, int status, long micros);
}
