package dev.verdict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static JsonNode entries(String json) throws Exception {
        return ApiClient.JSON.readTree(json.replace('\'', '"'));
    }

    @Test
    void aRunOfTheSameFailureIsOneLineWithItsAttempts() throws Exception {
        JsonNode entries = entries("""
                [{'id':1,'at':'2026-11-23T03:12:09.120Z','node':'n0','kind':'BEGUN','participant':null,'detail':{'timeoutMs':60000}},
                 {'id':2,'kind':'DELIVERY_FAILED','participant':'bank-b','detail':{'message':'COMMIT','attempt':1,'error':'HTTP 503'}},
                 {'id':3,'kind':'DELIVERY_FAILED','participant':'bank-b','detail':{'message':'COMMIT','attempt':2,'error':'Connection refused'}},
                 {'id':4,'kind':'DELIVERY_FAILED','participant':'bank-b','detail':{'message':'COMMIT','attempt':3,'error':'Connection refused'}},
                 {'id':5,'kind':'DELIVERY_FAILED','participant':'bank-b','detail':{'message':'COMMIT','attempt':4,'error':'Connection refused'}},
                 {'id':6,'kind':'OPERATOR_ACTION','participant':'bank-b','detail':{'action':'RESOLVE_BRANCH','reason':'by hand'}}]
                """);
        List<History.Line> lines = History.collapse(entries);
        assertEquals(List.of(1, 1, 3, 1), lines.stream().map(History.Line::count).toList());
        assertEquals(2, lines.get(2).first().path("detail").path("attempt").asInt());
        assertEquals(4, lines.get(2).last().path("detail").path("attempt").asInt());

        StringWriter text = new StringWriter();
        History.table(entries).print(new PrintWriter(text));
        assertTrue(text.toString().contains("DELIVERY_FAILED x3"), text.toString());
        assertTrue(text.toString().contains("attempts 2-4"), text.toString());
        assertTrue(text.toString().contains("reason=\"by hand\""), text.toString());
        assertTrue(text.toString().contains("2026-11-23 03:12:09.120"), text.toString());
    }
}
