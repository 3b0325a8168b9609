package dev.wharf.terraform.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A 409 of the publish API that says whether this publish lost a race: it wrote its tag, and another
 * writer's manifest was there when it read the tag back. {@code upload --ignore-existing} skips a
 * version stored before it began, but fails on a lost race, whose stored content is not what it
 * sent; over HTTP the client can tell the two apart only from the answer.
 */
final class PublishConflict {
    static final String LOST_RACE = "lost_race";

    private PublishConflict() {
    }

    /** The protocols' error body ({@code {"errors":[message]}}) with {@code "lost_race": true}. */
    static byte[] lostRace(ObjectMapper json, String message) {
        ObjectNode body = json.createObjectNode();
        body.putArray("errors").add(message);
        body.put(LOST_RACE, true);
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an object of a string and a boolean is always JSON", e);
        }
    }

    /** Whether a 409's body says the publish lost a race; a body that is no JSON object says not. */
    static boolean isLostRace(ObjectMapper json, String body) {
        try {
            JsonNode read = json.readTree(body);
            return read != null && read.path(LOST_RACE).asBoolean(false);
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
