package dev.wharf.terraform.web;

import dev.wharf.http.ReadyAnswer;
import dev.wharf.http.ReadyAnswers;
import dev.wharf.terraform.auth.ClientAuthentication;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Sends a JSON 200 answer and leaves it for the server to repeat ({@link ReadyAnswers}) while
 * {@code current} holds and the request would pass the token check in front of the Terraform
 * routes. Both are told from memory ({@link ReadyAnswers.Check}): {@code current} compares the
 * generations the body was built from with the services' current ones (never the identity of an
 * object), and only static tokens are admitted without waiting; any other request goes to the
 * router, which checks it in full.
 */
final class ReadyJson {
    private final ReadyAnswers ready;
    private final ClientAuthentication auth;

    ReadyJson(ReadyAnswers ready, ClientAuthentication auth) {
        this.ready = ready;
        this.auth = auth;
    }

    void send(Context ctx, byte[] body, BooleanSupplier current) {
        ReadyAnswer answer = ReadyAnswer.of(ctx.endpoint().path, "application/json", List.of(), body, false);
        answer.sendTo(ctx);
        ready.remember(ReadyAnswers.target(ctx), answer,
                header -> auth.admitsWithoutWaiting(header.apply("Authorization")) && current.getAsBoolean());
    }
}
