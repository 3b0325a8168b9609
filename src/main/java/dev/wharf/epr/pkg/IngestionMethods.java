package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.wharf.epr.model.DataStream;
import dev.wharf.epr.model.Json;
import dev.wharf.epr.model.PackageDocument;
import dev.wharf.epr.model.PolicyTemplate;
import dev.wharf.epr.model.Stream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How each input type ingests data ({@code File}, {@code API}, …), which EPR adds to package info
 * answers as {@code ingestion_method}. The table is data (ingestion-methods.yml beside this class),
 * so following EPR's additions is an edit of that file.
 */
public final class IngestionMethods {
    private static final String TABLE = "ingestion-methods.yml";

    private final Map<String, String> methodByInput;

    public IngestionMethods(Map<String, String> methodByInput) {
        this.methodByInput = Map.copyOf(methodByInput);
    }

    /** The table EPR 1.40 ships. */
    public static IngestionMethods elastic() {
        try (InputStream in = IngestionMethods.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException(TABLE + " is missing from the class path");
            }
            Map<String, List<String>> inputsByMethod = Json.yaml().readValue(in, new TypeReference<Map<String, List<String>>>() { });
            Map<String, String> byInput = new HashMap<>();
            inputsByMethod.forEach((method, inputs) -> inputs.forEach(input -> {
                if (byInput.put(input, method) != null) {
                    throw new IllegalStateException(TABLE + " names input " + input + " twice");
                }
            }));
            return new IngestionMethods(byInput);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TABLE, e);
        }
    }

    public Optional<String> methodOf(String input) {
        return Optional.ofNullable(methodByInput.get(input));
    }

    /**
     * As EPR: a stream whose input is in the table gets the table's method, otherwise keeps what its
     * manifest says; an input package's policy template with an input always takes the table's
     * answer, none when the input is not in it; other templates keep their manifest's value.
     */
    public void applyTo(PackageDocument p) {
        if (p.dataStreams != null) {
            for (DataStream d : p.dataStreams) {
                for (Stream s : d.streams == null ? List.<Stream>of() : d.streams) {
                    if (s.input != null) {
                        methodOf(s.input).ifPresent(m -> s.ingestionMethod = m);
                    }
                }
            }
        }
        if ("input".equals(p.type) && p.policyTemplates != null) {
            for (PolicyTemplate t : p.policyTemplates) {
                if (t.input != null && !t.input.isEmpty()) {
                    t.ingestionMethod = methodOf(t.input).orElse(null);
                }
            }
        }
    }
}
