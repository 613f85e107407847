package dev.unfold.samples;

import java.util.Locale;

/**
 * The one line the memory sample prints when a run ends, e.g.
 * {@code order   T=20   RNN           ✗ test error 73.1%  largest gradient norm 497  3000 updates, 5.1 s}.
 * One line a run rather than one an epoch: a sweep has dozens of runs.
 */
final class RunLine {
    private RunLine() {}

    static String of(RunOutcome outcome) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-7s T=%-4d %-13s", outcome.task().name(),
                outcome.length(), outcome.contender().title));
        String result = outcome.diverged() ? "diverged at step " + outcome.divergedAtStep()
                : (outcome.succeeded() ? "✓ " : "✗ ") + outcome.task().metricName() + " "
                        + outcome.task().format(outcome.metric());
        line.append(String.format(Locale.ROOT, "%-24s", result));
        RunLog log = outcome.log();
        if (!log.epochs().isEmpty()) {
            line.append(String.format(Locale.ROOT, "  largest gradient norm %-7.3g", log.largestGradientNorm()));
            long updates = log.epochs().get(log.epochs().size() - 1).updates();
            if (outcome.contender().clipped) {
                line.append(String.format(Locale.ROOT, " (%.0f%% of updates clipped)",
                        100.0 * log.clippedUpdates() / updates));
            }
        }
        line.append("  ").append(switch (outcome.start()) {
            case NEW -> String.format(Locale.ROOT, "%.1f s", outcome.seconds());
            case RESUMED -> String.format(Locale.ROOT, "resumed from its checkpoint, %.1f s", outcome.seconds());
            case DONE_BEFORE -> "finished before: read from its checkpoint";
        });
        return line.toString();
    }
}
