package dev.wharf.epr.upstream;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.wharf.epr.model.Json;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How an upstream's JSON is read: as EPR reads it, with Go's encoding/json, which refuses a value of
 * another JSON type than its field's rather than convert it. Jackson's default conversions changed
 * what the upstream said: a count of 2.7 was 2, a title {@code true} the text "true", a flag
 * {@code "yes"} or 1 true, and a number where a string belongs its text. A JSON {@code null} where a
 * string belongs leaves the field as it was, as Go's does ("" for a field that is always there, absent
 * for one that may be): Jackson set it to Java's null, which no annotation shows, so a name or version
 * of null reached code that takes it for text. A null in a list of strings is "", as in Go's []string.
 */
final class UpstreamJson {
    static final ObjectMapper MAPPER = strict(Json.mapper());

    private UpstreamJson() {
    }

    private static ObjectMapper strict(ObjectMapper lenient) {
        ObjectMapper mapper = lenient.copy().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.configOverride(String.class).setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP));
        mapper.configOverride(List.class).setSetterInfo(JsonSetter.Value.forContentNulls(Nulls.AS_EMPTY));
        return mapper;
    }

    /**
     * "[0].version as a number, not a string": where in the answer, what it held, and what belongs there.
     * {@code token}: where the parser stood when it failed, on the value it would not take.
     */
    static String mismatch(MismatchedInputException e, @Nullable JsonToken token) {
        StringBuilder at = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                at.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                at.append(at.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return (at.isEmpty() ? "the answer" : at) + " as " + held(token) + ", not " + expected(e.getTargetType());
    }

    private static String held(@Nullable JsonToken token) {
        if (token == null) {
            return "another type";
        }
        return switch (token) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            case START_ARRAY, END_ARRAY -> "a list";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case VALUE_NULL -> "null";
            default -> "another type";
        };
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "what EPR reads there";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }
}
