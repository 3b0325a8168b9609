package dev.wharf.epr.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Wharf's own icon, answered at {@code /favicon.ico} as EPR answers its own there. */
final class Favicon {
    static final String CONTENT_TYPE = "image/x-icon";

    private Favicon() {
    }

    static byte[] load() {
        try (InputStream in = Favicon.class.getResourceAsStream("favicon.ico")) {
            if (in == null) {
                throw new IllegalStateException("favicon.ico is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read favicon.ico", e);
        }
    }
}
