package dev.verdict.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aligned columns for a person to scan: a header, one row per item, two spaces between columns,
 * no trailing blanks. Widths count characters, so a colored cell is measured without its color.
 */
final class Table {

    private final List<String> headers;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size());
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? Text.NONE : c.toString()).toArray(String[]::new));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], Style.visibleLength(row[i]));
            }
        }
        printLine(out, headers.toArray(String[]::new), widths);
        for (String[] row : rows) {
            printLine(out, row, widths);
        }
        out.flush();
    }

    private static void printLine(PrintWriter out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - Style.visibleLength(cells[i]) + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
