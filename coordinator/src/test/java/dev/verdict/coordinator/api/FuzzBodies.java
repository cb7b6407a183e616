package dev.verdict.coordinator.api;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bad JSON bodies for a route that reads a record, derived from the record's fields and a valid
 * body: malformed, with a key twice, a field of the wrong JSON type, control characters and odd
 * Unicode in a string, nesting thousands deep, over the size limit, or good JSON under the wrong
 * content type. None of them may be acted on.
 */
final class FuzzBodies {

    /** A body and the headers it goes with; {@code contentLength}: frame it with a Content-Length. */
    record Body(String kind, List<String> headers, byte[] bytes, boolean contentLength) {}

    private static final String[] ODD = {"\u0000", "\u0001", "\u0007", "\u001f", "\r\n", "\n", "\r", "\t", "\u007f",
            "\u0085", "\u2028", "\u2029", "\ud800", "\udfff", "\ufeff", "\u202e", "\u200b", "\uffff", "\ufffd", "é",
            "\ud83d\ude00", "\u0301", "Ａ"};
    private static final String[] CONTENT_TYPES = {"text/plain", "text/plain; charset=utf-8",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/jsonx",
            "application/json; charset=ebcdic", "application/json; charset=\"", "application/json; charset=utf-16",
            "json", "/", "application/", "*/*", "application/*", "", "application/merge-patch+json",
            "application/problem+json", "text/json", "application/json, text/plain", ";", "application/json;;;="};
    private static final String[] NOT_INTEGERS = {"\"1\"", "\"30000\"", "1.9", "1.0", "1e3", "30000.5", "true", "[]", "{}",
            "[30000]", "\"soon\"", "\"\"", "\" \"", "-1", "0", "9223372036854775808", "-9223372036854775809",
            "1" + "0".repeat(400), "NaN", "Infinity", "0x10", "01", "+1", ".5", "3600001"};
    private static final String[] NOT_URLS = {"http://127.0.0.1:0/v", "http://127.0.0.1:99999/v", "http://127.0.0.1:65536/v",
            "http://127.0.0.1:-1/v", "http://127.0.0.1:99999999999/v", "http://[::1/v", "http://127.0.0.1:8080/v#f",
            "http://u:p@127.0.0.1:8080/v", "http://127.0.0.1:8080/v?q=1", "//127.0.0.1:8080/v", "v", "ftp://127.0.0.1/v",
            "file:///etc/passwd", "javascript:alert(1)", "http://", "http:///v", "http://127.0.0.1:8080/v w",
            "http://127.0.0.1:8080/" + "v".repeat(3000)};
    private static final List<String> JSON = List.of("Content-Type: application/json");

    private final Map<Class<?>, String> valid;

    /** @param valid for each record, a body the route would accept (a flat JSON object) */
    FuzzBodies(Map<Class<?>, String> valid) {
        this.valid = valid;
    }

    String valid(Class<?> record) {
        return valid.get(record);
    }

    Body next(Class<?> record, Random r) {
        switch (r.nextInt(7)) {
            case 0: return malformed(record, r);
            case 1: return duplicateKey(record, r);
            case 2: return wrongType(record, r);
            case 3: return oddString(record, r);
            case 4: return deepNesting(record, r);
            case 5: return oversized(record, r);
            default: return wrongContentType(record, r);
        }
    }

    private Body malformed(Class<?> record, Random r) {
        String v = valid(record);
        String[] broken = {v.substring(0, 1 + r.nextInt(v.length() - 1)), v + "}", v + " x", v + v, v + ",", "[" + v + "]",
                v.replace('"', '\''), v.replace(":", ""), "{" + v, "/* c */" + v, "{\"a\":}", "{,}", "nul", "NaN", "\"str\"",
                "42", "true", "{\"participant\":\"x\"\u0000}", v.replace("\"", "\\\"")};
        byte[] bytes = broken[r.nextInt(broken.length)].getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(8) == 0) { // not UTF-8: a stray byte, a lone continuation, an encoded surrogate
            bytes = new byte[] {'{', '"', (byte) 0xff, (byte) 0xc3, (byte) 0x28, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        }
        return new Body("malformed-json", JSON, bytes, true);
    }

    private Body duplicateKey(Class<?> record, Random r) {
        String field = field(record, r);
        String inner = valid(record).substring(1, valid(record).length() - 1);
        String[] bodies = {"{" + inner + "," + inner + "}", "{\"" + field + "\":" + wrongValue(record, field, r) + "," + inner + "}",
                "{" + inner + ",\"" + field + "\":" + wrongValue(record, field, r) + "}"};
        return json("duplicate-key", bodies[r.nextInt(bodies.length)]);
    }

    private Body wrongType(Class<?> record, Random r) {
        String field = field(record, r);
        return json("wrong-type", withField(record, field, wrongValue(record, field, r)));
    }

    private Body oddString(Class<?> record, Random r) {
        String field = stringField(record, r);
        if (field == null) {
            return wrongType(record, r);
        }
        String base = unquote(fieldValue(record, field));
        int at = 1 + r.nextInt(Math.max(1, base.length() - 1)); // inside: surrounding whitespace may be trimmed
        String value = base.substring(0, at) + ODD[r.nextInt(ODD.length)] + base.substring(at);
        boolean raw = r.nextInt(3) == 0; // unescaped: control characters must be refused as JSON
        String encoded = raw ? "\"" + value + "\"" : quote(value);
        if (r.nextInt(4) == 0) {
            encoded = quote(base.repeat(65 + r.nextInt(2000)));
        }
        return json("control-characters", withField(record, field, encoded));
    }

    private Body deepNesting(Class<?> record, Random r) {
        int depth = 1001 + r.nextInt(20_000); // deeper than allowed: {"a":{"a":…}} is otherwise an unknown field, ignored
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(r.nextInt(4) == 0 ? depth / 2 : depth);
        return json("deep-nesting", r.nextBoolean() ? nested : withField(record, field(record, r), nested));
    }

    private Body oversized(Class<?> record, Random r) {
        String field = stringField(record, r);
        String json = withField(record, field == null ? "pad" : field, quote("x".repeat(66_000 + r.nextInt(200_000))));
        if (r.nextBoolean()) {
            return json("oversized", json);
        }
        return new Body("oversized-chunked", List.of("Content-Type: application/json", "Transfer-Encoding: chunked"),
                chunked(json.getBytes(StandardCharsets.UTF_8)), false);
    }

    private Body wrongContentType(Class<?> record, Random r) {
        int pick = r.nextInt(CONTENT_TYPES.length + 1);
        List<String> headers = pick == CONTENT_TYPES.length ? List.of() : List.of("Content-Type: " + CONTENT_TYPES[pick]);
        return new Body("content-type", headers, valid(record).getBytes(StandardCharsets.UTF_8), true);
    }

    private static Body json(String kind, String json) {
        return new Body(kind, JSON, json.getBytes(StandardCharsets.UTF_8), true);
    }

    // --- fields ----------------------------------------------------------------------------------

    /** A value of another JSON type than the field's, or out of its range; for a URL, one that is not a callback URL. */
    private String wrongValue(Class<?> record, String field, Random r) {
        if (type(record, field) != String.class) {
            return NOT_INTEGERS[r.nextInt(NOT_INTEGERS.length)];
        }
        if (field.endsWith("Url") && r.nextBoolean()) {
            return quote(NOT_URLS[r.nextInt(NOT_URLS.length)]);
        }
        String[] notStrings = {"1", "1.5", "true", "false", "[]", "{}", "[" + fieldValue(record, field) + "]",
                "{\"x\":" + fieldValue(record, field) + "}", "\"\"", "\" \"", "-0", "1e400"};
        return notStrings[r.nextInt(notStrings.length)];
    }

    private static String field(Class<?> record, Random r) {
        RecordComponent[] fields = record.getRecordComponents();
        return fields[r.nextInt(fields.length)].getName();
    }

    private static String stringField(Class<?> record, Random r) {
        List<String> strings = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getType() == String.class) {
                strings.add(c.getName());
            }
        }
        return strings.isEmpty() ? null : strings.get(r.nextInt(strings.size()));
    }

    private static Class<?> type(Class<?> record, String field) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getName().equals(field)) {
                return c.getType();
            }
        }
        return Object.class;
    }

    /** The valid body with {@code field} set to {@code json} (added if the valid body lacks it). */
    private String withField(Class<?> record, String field, String json) {
        String value = fieldValue(record, field);
        if (value == null) {
            return valid(record).substring(0, valid(record).length() - 1) + ",\"" + field + "\":" + json + "}";
        }
        return valid(record).replace("\"" + field + "\":" + value, "\"" + field + "\":" + json);
    }

    /** The JSON value of {@code field} in the record's valid body (flat objects only). */
    private String fieldValue(Class<?> record, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\"[^\"]*\"|[^,}]*)").matcher(valid(record));
        return m.find() ? m.group(1) : null;
    }

    private static String unquote(String json) {
        return json != null && json.startsWith("\"") ? json.substring(1, json.length() - 1) : String.valueOf(json);
    }

    /** A JSON string literal, with everything outside printable ASCII escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static byte[] chunked(byte[] body) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < body.length; i += 8192) {
            int n = Math.min(8192, body.length - i);
            out.append(Integer.toHexString(n)).append("\r\n").append(new String(body, i, n, StandardCharsets.ISO_8859_1))
                    .append("\r\n");
        }
        return out.append("0\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
