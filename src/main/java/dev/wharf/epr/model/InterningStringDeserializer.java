package dev.wharf.epr.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Jackson's own reading of a string, then {@link String#intern()}: the index holds every version of
 * every package, and the versions of one package repeat most of their text (titles, descriptions,
 * data streams, variables). Measured: 65 % of the model's string bytes in the bench's 200 versions
 * were repeats, and strings were 90 of the 137 MB a 20 000-version index kept (bench/RESULTS.md,
 * sessions 6 and 31). The JVM's table holds its strings weakly, so text no version uses any more is
 * collected, and Wharf keeps no pool of its own to grow or to clear. A subclass is not one of
 * Jackson's standard deserializers to its collection readers, so lists of strings come through here too.
 */
final class InterningStringDeserializer extends StringDeserializer {
    private static final long serialVersionUID = 1L;

    @Override
    public @Nullable String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String s = super.deserialize(p, ctxt);
        return s == null ? null : s.intern();
    }
}
