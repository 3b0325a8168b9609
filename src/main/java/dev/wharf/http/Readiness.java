package dev.wharf.http;

import java.util.Locale;

/**
 * Whether a replica should be sent traffic, apart from whether it is alive: a load balancer or a
 * Kubernetes readiness probe asks {@code /health?ready=true}, which answers 503 while the process is
 * still warming up (its first index, its first look at storage) and again once it has begun to
 * shut down, so traffic moves to the other replicas before this one stops accepting.
 */
public final class Readiness {
    /** Where the process is in its life; only {@link #READY} takes traffic. */
    public enum State {
        STARTING, READY, STOPPING;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private volatile State state = State.STARTING;

    /** For servers whose warm-up is done before they listen. */
    public static Readiness readyNow() {
        Readiness readiness = new Readiness();
        readiness.ready();
        return readiness;
    }

    /** The warm-up is done. A process already stopping stays stopping. */
    public void ready() {
        synchronized (this) {
            if (state == State.STARTING) {
                state = State.READY;
            }
        }
    }

    /** Shutdown has begun: from now on the readiness check fails. */
    public void stopping() {
        state = State.STOPPING;
    }

    public State state() {
        return state;
    }

    public boolean isReady() {
        return state == State.READY;
    }

    /** Whether a request asks the readiness question: {@code ?ready=true}, as EPR's {@code /health} takes it. */
    public static boolean asked(String readyParameter) {
        return readyParameter != null && readyParameter.equalsIgnoreCase("true");
    }
}
