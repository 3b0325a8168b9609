package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON and YAML mappers of the package registry. Output is written the way Go's
 * {@code json.Encoder} with two-space indentation writes it (EPR's {@code MarshalJSONPretty}): ": "
 * between key and value, {@code []} and {@code {}} for empty containers, a final newline, omitted
 * empty fields. Kibana does not care, but byte-identical answers make EPR comparisons trivial.
 */
public final class Json {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(sharedText())
            .nodeFactory(new InterningNodeFactory())
            .serializationInclusion(JsonInclude.Include.NON_EMPTY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .addModule(sharedText())
            .nodeFactory(new InterningNodeFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private Json() {
    }

    /** Strings read into the model are interned: see {@link InterningStringDeserializer}. */
    private static SimpleModule sharedText() {
        return new SimpleModule("wharf-interned-strings").addDeserializer(String.class, new InterningStringDeserializer());
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    public static ObjectMapper yaml() {
        return YAML;
    }

    /** Go-style pretty JSON with a trailing newline. */
    public static byte[] pretty(Object value) {
        try {
            String text = JSON.writer(new GoPrettyPrinter()).writeValueAsString(value);
            return (text + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Go's encoder: two spaces, "key": value, nothing between the brackets of an empty container. */
    private static final class GoPrettyPrinter extends DefaultPrettyPrinter {
        GoPrettyPrinter() {
            super();
            _objectIndenter = new DefaultIndenter("  ", "\n");
            _arrayIndenter = new DefaultIndenter("  ", "\n");
            _objectFieldValueSeparatorWithSpaces = ": ";
        }

        GoPrettyPrinter(GoPrettyPrinter base) {
            super(base);
            _objectFieldValueSeparatorWithSpaces = ": ";
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new GoPrettyPrinter(this);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (!_objectIndenter.isInline()) {
                --_nesting;
            }
            if (nrOfEntries > 0) {
                _objectIndenter.writeIndentation(g, _nesting);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (!_arrayIndenter.isInline()) {
                --_nesting;
            }
            if (nrOfValues > 0) {
                _arrayIndenter.writeIndentation(g, _nesting);
            }
            g.writeRaw(']');
        }
    }
}
