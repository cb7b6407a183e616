package dev.verdict.coordinator.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a request body in the client's terms: which field, and what JSON it
 * should hold. Jackson's own messages name Java classes and Jackson settings
 * ({@code Views$BeginRequest}, {@code java.lang.Long}, {@code StreamReadConstraints}); none of
 * that reaches a client.
 */
final class JsonErrors {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^'\\p{Cntrl}]{0,64})'");
    /** Where Jackson's syntax messages turn from what was found to how to configure Jackson. */
    private static final List<String> CUT_AT = List.of("\n", " (start marker", ": enable", " (not recognized", "; ",
            " at [Source", ": was expecting", " (for ", ": maybe");

    private JsonErrors() {}

    /** The detail of a 400 malformed-json problem. */
    static String detail(JsonProcessingException e) {
        return "The request body is not the JSON this endpoint expects: " + what(e) + where(e.getLocation()) + ".";
    }

    private static String what(JsonProcessingException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.find()) {
            return "field '" + duplicate.group(1) + "' appears more than once";
        }
        Throwable cause = e.getCause() instanceof JsonProcessingException ? e.getCause() : e;
        if (cause instanceof StreamConstraintsException) {
            return "it is nested too deeply, or holds a number or string too long";
        }
        if (cause instanceof JsonEOFException) {
            return "it ends before the JSON value does";
        }
        String field = e instanceof JsonMappingException m ? field(m.getPath()) : null;
        if (cause instanceof InputCoercionException) {
            return (field == null ? "a number" : "field '" + field + "'") + " is out of range";
        }
        if (e instanceof MismatchedInputException m) {
            if (String.valueOf(m.getOriginalMessage()).startsWith("Trailing token")) {
                return "there is more after the JSON value";
            }
            if (field == null) {
                return "it must be a JSON object";
            }
            return "field '" + field + "' must be " + expected(m.getTargetType(), field);
        }
        if (field != null) {
            return "field '" + field + "' does not hold a value of the expected JSON type";
        }
        return syntax(e.getOriginalMessage());
    }

    /** A JSON type as a client thinks of it, for a field read into {@code type}. */
    private static String expected(Class<?> type, String field) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return field.endsWith("Ms") ? "an integer number of milliseconds" : "an integer (no fraction, no quotes)";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + List.of(type.getEnumConstants());
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "of another JSON type";
    }

    /** The innermost named field, with the index of any array element inside it. */
    private static String field(List<JsonMappingException.Reference> path) {
        StringBuilder name = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                name.setLength(0);
                name.append(r.getFieldName());
            } else if (r.getIndex() >= 0 && name.length() > 0) {
                name.append('[').append(r.getIndex()).append(']');
            }
        }
        return name.length() == 0 || name.length() > 64 || name.chars().anyMatch(Character::isISOControl) ? null : name.toString();
    }

    /** Jackson's description of a syntax error, up to where it starts to speak of Jackson itself. */
    private static String syntax(String message) {
        String s = message == null ? "" : message;
        for (String cut : CUT_AT) {
            int at = s.indexOf(cut);
            if (at >= 0) {
                s = s.substring(0, at);
            }
        }
        boolean internal = s.isBlank() || s.contains("`") || s.contains("Feature") || s.contains("java")
                || s.contains("$") || s.contains("Exception") || s.contains("Constraints") || s.length() > 200;
        return internal ? "it is not valid JSON" : "it is not valid JSON (" + lowerFirst(s.strip()) + ")";
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
