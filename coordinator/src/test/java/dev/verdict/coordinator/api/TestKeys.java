package dev.verdict.coordinator.api;

import io.restassured.filter.Filter;

/** The API keys listed (as hashes) in src/test/resources/test-api-keys, as Authorization header values. */
final class TestKeys {

    static final String ADMIN = bearer("admin");
    static final String OPERATOR = bearer("operator");
    static final String CLIENT = bearer("client");
    static final String OTHER_CLIENT = bearer("client-2");
    static final String CLIENT_OPERATOR = bearer("client-operator");
    /** Participant bank-a, also a client. */
    static final String BANK_A = bearer("bank-a");
    /** Participant bank-b only. */
    static final String BANK_B = bearer("bank-b");

    private TestKeys() {}

    /** A RestAssured filter that sends {@code key} with every request that names no credential of its own. */
    static Filter unlessSaid(String key) {
        return (request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", key);
            }
            return context.next(request, response);
        };
    }

    private static String bearer(String name) {
        return "Bearer vdk_test-" + name;
    }
}
