package dev.unfold.samples;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The memory sample's plot: one task's training loss against the update, one line per network and
 * length, on a logarithmic axis, where a plateau, a sudden jump (an exploding gradient's step) and
 * the fall once a network finds the dependency all show. Each network has its hue (RNN red, RNN
 * with clipping blue, LSTM green), from light for the shortest length to dark for the longest.
 */
final class LossCurves {
    private LossCurves() {}

    /** Draws the curves of {@code outcomes} into {@code file}; false if no run has a point to draw. */
    static boolean write(MemoryTask task, List<RunOutcome> outcomes, Path file) throws IOException {
        LinePlot plot = new LinePlot(capitalised(task.title()) + ": training loss", "update",
                "training loss per sequence (log scale)").logarithmicY();
        List<Integer> lengths = outcomes.stream().map(RunOutcome::length).distinct().sorted().toList();
        List<RunOutcome> ordered = outcomes.stream()
                .sorted(Comparator.comparing(RunOutcome::contender).thenComparing(RunOutcome::length))
                .toList();
        boolean any = false;
        for (RunOutcome outcome : ordered) {
            List<RunLog.Epoch> epochs = outcome.log().epochs().stream()
                    .filter(e -> e.trainingLoss() > 0 && Double.isFinite(e.trainingLoss()))
                    .toList();
            if (epochs.isEmpty()) {
                continue;   // diverged within its first epoch: no point to draw
            }
            double[] updates = epochs.stream().mapToDouble(RunLog.Epoch::updates).toArray();
            double[] losses = epochs.stream().mapToDouble(RunLog.Epoch::trainingLoss).toArray();
            plot.series(outcome.contender().title + ", T=" + outcome.length(), updates, losses,
                    colour(outcome.contender(), lengths.indexOf(outcome.length()), lengths.size()));
            any = true;
        }
        if (any) {
            plot.writePng(file, 1000, 650);
        }
        return any;
    }

    /** The contender's hue, light for the shortest of {@code count} lengths and dark for the longest. */
    static Color colour(Contender contender, int index, int count) {
        float hue = switch (contender) {
            case RNN -> 0.0f;            // red
            case CLIPPED_RNN -> 0.62f;   // blue
            case LSTM -> 0.33f;          // green
        };
        float shade = count == 1 ? 1 : (float) index / (count - 1);
        return Color.getHSBColor(hue, 0.45f + 0.55f * shade, 0.95f - 0.45f * shade);
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
