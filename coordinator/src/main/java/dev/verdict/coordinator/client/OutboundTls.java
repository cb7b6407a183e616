package dev.verdict.coordinator.client;

import dev.verdict.coordinator.config.VerdictConfig;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

/** What the coordinator's HTTP clients trust over HTTPS: {@code verdict.tls.trust-certs}, or the JVM's defaults. */
final class OutboundTls {

    private OutboundTls() {}

    static HttpClientOptions trusting(VerdictConfig config, HttpClientOptions options) {
        config.tls().trustCerts().ifPresent(files -> {
            PemTrustOptions trust = new PemTrustOptions();
            files.forEach(trust::addCertPath);
            options.setTrustOptions(trust);
        });
        return options.setVerifyHost(true);
    }
}
