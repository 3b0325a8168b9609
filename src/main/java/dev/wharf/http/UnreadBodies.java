package dev.wharf.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Answers that a handler below the servlet layer gives before reading the request's body. Jetty's
 * servlet layer, which Javalin's routes run on, marks such an answer {@code Connection: close}
 * itself; a core handler's answer was sent without it and the connection closed after it all the
 * same, on the bytes still to come: a client that kept the connection for its next request (the
 * JDK's HttpClient does, and does not send a PUT again) failed that request with "header parser
 * received no bytes".
 */
final class UnreadBodies {
    private UnreadBodies() {
    }

    /** Before the answer's headers are written: the body as far as it has arrived is dropped; if more is to come, the answer says the connection closes. */
    static void closeIfUnread(Request request, Response response) {
        if (!request.consumeAvailable()) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
    }
}
