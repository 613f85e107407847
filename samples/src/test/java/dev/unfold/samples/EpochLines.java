package dev.unfold.samples;

/** Counting a sample's per-epoch lines in what it printed, progress bars included. */
final class EpochLines {
    private EpochLines() {}

    /**
     * How many lines of {@code printed} start with {@code start}. A progress bar redraws itself
     * with carriage returns, so those count as line breaks too: a line is what a terminal shows.
     */
    static int count(String printed, String start) {
        int count = 0;
        for (String line : printed.split("[\\r\\n]+")) {
            if (line.startsWith(start)) {
                count++;
            }
        }
        return count;
    }
}
