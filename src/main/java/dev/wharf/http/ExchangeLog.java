package dev.wharf.http;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's request log turned into {@link Exchange}s for the observers. Jetty calls it for every
 * request after the response completed, so bytes and durations are the real ones, and requests
 * answered in front of the router ({@link ReadyAnswerHandler}) or refused by Jetty itself are
 * seen too.
 */
final class ExchangeLog implements RequestLog {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeLog.class);
    private final List<ExchangeObserver> observers;

    ExchangeLog(List<ExchangeObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void log(Request request, Response response) {
        Exchange exchange = exchange(request, response);
        for (ExchangeObserver observer : observers) {
            try {
                observer.exchanged(exchange);
            } catch (RuntimeException e) {
                // Telemetry must never fail a request that has been answered already.
                LOG.debug("an exchange observer failed", e);
            }
        }
    }

    static Exchange exchange(Request request, Response response) {
        Object route = request.getAttribute(Exchange.ROUTE_ATTRIBUTE);
        HttpURI uri = request.getHttpURI();
        HttpFields headers = request.getHeaders();
        return new Exchange(route instanceof String r ? r : Exchange.UNMATCHED, request.getMethod(),
                uri.getPath(), uri.getQuery(), request.getConnectionMetaData().getProtocol(), response.getStatus(),
                Request.getContentBytesRead(request), Response.getContentBytesWritten(response),
                System.nanoTime() - request.getBeginNanoTime(), Request.getRemoteAddr(request),
                headers.get(HttpHeader.USER_AGENT), uri.getHost(), uri.getPort(), headers.get(HttpHeader.REFERER));
    }
}
