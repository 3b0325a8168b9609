package dev.wharf.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.wharf.http.AccessLine;
import org.jspecify.annotations.Nullable;

/** Recognises the access log's events, which the encoders write from their {@link AccessLine} rather than from a message and pairs. */
final class AccessEvents {
    private AccessEvents() {
    }

    /** The event's access line: its lone argument of the message "{}", when it is one. */
    static @Nullable AccessLine line(ILoggingEvent event) {
        Object[] args = event.getArgumentArray();
        if (args != null && args.length == 1 && args[0] instanceof AccessLine access && AccessLine.FORMAT.equals(event.getMessage())) {
            return access;
        }
        return null;
    }
}
