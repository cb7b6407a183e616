package dev.verdict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    @Test
    void eventsEndAtABlankLineCommentsAreSkippedAndTheLastIdCarriesOver() {
        List<ServerSentEvents.Event> events = new ArrayList<>();
        ServerSentEvents parser = new ServerSentEvents(events::add);
        for (String line : List.of(": keep-alive", "", "id: 7", "event: DELIVERY_FAILED", "data: {\"a\":1}", "",
                "data:{\"b\":", "data: 2}", "", "id:9", "event:overflow", "data:", "")) {
            parser.accept(line);
        }
        assertEquals(List.of(
                new ServerSentEvents.Event("7", "DELIVERY_FAILED", "{\"a\":1}"),
                new ServerSentEvents.Event("7", "message", "{\"b\":\n2}"),
                new ServerSentEvents.Event("9", "overflow", "")), events);
    }

    @Test
    void anUnfinishedEventIsNotDelivered() {
        List<ServerSentEvents.Event> events = new ArrayList<>();
        ServerSentEvents parser = new ServerSentEvents(events::add);
        parser.accept("id: 1");
        parser.accept("data: {}");
        assertEquals(List.of(), events);
    }
}
