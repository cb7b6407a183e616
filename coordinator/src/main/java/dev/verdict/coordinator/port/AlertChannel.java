package dev.verdict.coordinator.port;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/** Sends one alert to one webhook. */
public interface AlertChannel {

    /** POSTs {@code json}, signed; completes when the receiver answered 2xx, fails on anything else (or none). */
    CompletionStage<Void> post(URI webhook, byte[] json);
}
