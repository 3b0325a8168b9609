package dev.wharf.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code wharf_ready_answers_total{route}}: requests answered from {@link ReadyAnswers} in front
 * of the router. Pass it (or a {@link RequestObserver} that calls it) to {@link WebServer#start}:
 * only the ready-answer handler tells that observer.
 */
public final class ReadyAnswerCounter implements RequestObserver {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ReadyAnswerCounter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void observe(String route, String method, int status, long micros) {
        // Read first: the registering lambda captures this, so computeIfAbsent alone made one per request.
        Counter counter = counters.get(route);
        if (counter == null) {
            counter = counters.computeIfAbsent(route, this::register);
        }
        counter.increment();
    }

    private Counter register(String route) {
        return Counter.builder("wharf.ready.answers").description("Requests answered from memory in front of the router").tag("route", route)
                .register(registry);
    }
}
