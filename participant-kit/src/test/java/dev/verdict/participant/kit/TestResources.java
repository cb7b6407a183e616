package dev.verdict.participant.kit;

import jakarta.enterprise.context.ApplicationScoped;

/** The test service's two resources: the default one (participant "stock") and "ledger" ("stock.ledger"). */
final class TestResources {

    private TestResources() {}

    @ApplicationScoped
    static class Shelf extends RecordingResource {}

    @ApplicationScoped
    static class Ledger extends RecordingResource {
        @Override
        public String resourceName() {
            return "ledger";
        }
    }
}
