package dev.unfold.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory sample's results for one task as a text table: a row per sequence length, a column
 * per {@link Contender}, each cell the run's {@link RunOutcome#cell()}.
 *
 * <pre>
 *   T   RNN                  RNN+clipping   LSTM
 *  10   ✓ 0.0%               ✓ 0.0%         ✓ 0.0%
 *  20   ✗ 73.1%              ✓ 0.0%         ✓ 0.0%
 * 100   diverged at step 812 ✗ 73.7%        ✗ 75.0%
 * </pre>
 */
final class MemoryTable {
    private static final String GAP = "   ";

    private MemoryTable() {}

    /** The table of {@code outcomes}, which must hold one run per length and contender. */
    static String format(List<Integer> lengths, List<RunOutcome> outcomes) {
        List<String[]> rows = new ArrayList<>();
        Contender[] contenders = Contender.values();
        String[] header = new String[contenders.length + 1];
        header[0] = "T";
        for (int c = 0; c < contenders.length; c++) {
            header[c + 1] = contenders[c].title;
        }
        rows.add(header);
        for (int length : lengths) {
            String[] row = new String[contenders.length + 1];
            row[0] = Integer.toString(length);
            for (int c = 0; c < contenders.length; c++) {
                row[c + 1] = find(outcomes, contenders[c], length).cell();
            }
            rows.add(row);
        }
        int[] widths = new int[header.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            line.append(" ".repeat(widths[0] - row[0].length())).append(row[0]);   // lengths align right
            for (int c = 1; c < row.length; c++) {
                line.append(GAP).append(row[c]).append(" ".repeat(widths[c] - row[c].length()));
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }

    private static RunOutcome find(List<RunOutcome> outcomes, Contender contender, int length) {
        for (RunOutcome outcome : outcomes) {
            if (outcome.contender() == contender && outcome.length() == length) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("no run of " + contender.title + " at length " + length);
    }
}
