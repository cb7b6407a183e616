package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Metadata and link-local addresses are refused in every spelling; an allow-list admits only what it lists. */
class CallbackPolicyTest {

    private final CallbackPolicy open = new CallbackPolicy(Optional.empty());
    private final CallbackPolicy listed = new CallbackPolicy(Optional.of(List.of("bank.internal", "127.0.0.0/8", "fd12::/16")));

    @Test
    void metadataAndLinkLocalAddressesAreRefusedHoweverSpelled() {
        for (String host : List.of("169.254.169.254", "2852039166", "169.254.169.254.", "[::ffff:169.254.169.254]",
                "::ffff:a9fe:a9fe", "[::169.254.169.254]", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "[fe80::1]",
                "fd00:ec2::254", "100.100.100.200", "0.0.0.0", "[::]", "224.0.0.1", "168.63.129.16", "fd20:ce::254",
                "[::ffff:0:169.254.169.254]", "64:ff9b:1::a9fe:a9fe", "[::0.0.0.2]",
                "metadata.google.internal", "METADATA.GOOGLE.INTERNAL.", "metadata", "instance-data",
                "0xa9fea9fe", "0251.0376.0251.0376")) {
            ServiceException.CallbackHostNotAllowed refused = assertThrows(ServiceException.CallbackHostNotAllowed.class,
                    () -> open.checkRegistration(host), host);
            assertTrue(refused.getMessage().contains("resolves to") || refused.getMessage().contains("metadata service")
                    || refused.getMessage().contains("does not resolve") && (host.startsWith("0x") || host.startsWith("0251")),
                    host + ": " + refused.getMessage());
        }
    }

    @Test
    void loopbackAndOrdinaryAddressesPassWithoutAnAllowList() {
        assertDoesNotThrow(() -> open.checkRegistration("127.0.0.1"));
        assertDoesNotThrow(() -> open.checkRegistration("localhost"));
        assertDoesNotThrow(() -> open.checkRegistration("[::1]"));
        assertDoesNotThrow(() -> open.checkRegistration("10.1.2.3"));
    }

    @Test
    void anAllowListAdmitsListedNamesAndRangesOnly() throws Exception {
        assertDoesNotThrow(() -> listed.checkRegistration("127.0.0.1"));
        assertDoesNotThrow(() -> listed.checkRegistration("localhost"));
        assertThrows(ServiceException.CallbackHostNotAllowed.class, () -> listed.checkRegistration("10.1.2.3"));
        assertDoesNotThrow(() -> listed.checkCall("bank.internal", InetAddress.getByName("10.9.9.9")));
        assertDoesNotThrow(() -> listed.checkCall("x", InetAddress.getByName("fd12::7")));
        assertThrows(ServiceException.CallbackHostNotAllowed.class,
                () -> listed.checkCall("x", InetAddress.getByName("fd13::7")));
        // A listed name that has come to resolve to a metadata address (DNS rebinding) is refused at call time.
        assertThrows(ServiceException.CallbackHostNotAllowed.class,
                () -> listed.checkCall("bank.internal", InetAddress.getByName("169.254.169.254")));
    }

    @Test
    void aMalformedRangeIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new CallbackPolicy(Optional.of(List.of("10.0.0.0/33"))));
        assertThrows(IllegalArgumentException.class, () -> new CallbackPolicy(Optional.of(List.of("example.com/8"))));
    }
}
