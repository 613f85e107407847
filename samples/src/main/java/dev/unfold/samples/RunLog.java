package dev.unfold.samples;

import dev.unfold.runtime.io.AtomicFile;
import dev.unfold.runtime.train.EpochReport;
import dev.unfold.runtime.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A training run's history, one line per epoch, kept in a file next to its checkpoint: the
 * training loss (the loss curve), the largest gradient norm of the epoch's updates before any
 * clipping (where exploding gradients show) and how many updates clipping rescaled. The checkpoint
 * holds only where a run stands; this holds how it got there, so that a resumed or finished run can
 * still draw its whole curve. A run that diverges logs the part of its last epoch it got through, so
 * its curve and largest norm run up to the step that blew up. The file is rewritten whole after
 * every epoch, atomically.
 */
final class RunLog implements TrainingListener {
    private static final String HEADER = "epoch\tupdates\ttraining loss\tlargest gradient norm\tclipped updates";

    /** One epoch's line. */
    record Epoch(int epoch, long updates, double trainingLoss, double largestGradientNorm, int clippedUpdates) {}

    private final Path file;
    private final double clipNorm;
    private final TreeMap<Integer, Epoch> epochs = new TreeMap<>();
    // the epoch under way, so that a run that diverges partway can still log how it got there
    private int epoch;
    private long stepsBefore;
    private int updatesDone;
    private double lossSum;
    private double largestNorm;
    private int clipped;

    private RunLog(Path file, double clipNorm) {
        this.file = file;
        this.clipNorm = clipNorm;
    }

    /**
     * The log in {@code file}, or an empty one if there is none yet, of a run that clips gradients
     * above {@code clipNorm} (0 for none).
     */
    static RunLog open(Path file, double clipNorm) throws IOException {
        RunLog log = new RunLog(file, clipNorm);
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {   // after the header
                String[] fields = line.split("\t");
                if (fields.length != 5) {
                    throw new IOException(file + " is not a run log: line \"" + line + "\" does not have 5 fields");
                }
                Epoch epoch = new Epoch(Integer.parseInt(fields[0]), Long.parseLong(fields[1]),
                        Double.parseDouble(fields[2]), Double.parseDouble(fields[3]), Integer.parseInt(fields[4]));
                log.epochs.put(epoch.epoch(), epoch);
            }
        }
        return log;
    }

    /** Forgets the epochs after {@code epoch}, which the run is about to redo. */
    private void keepUpTo(int epoch) {
        epochs.tailMap(epoch, false).clear();
    }

    List<Epoch> epochs() {
        return List.copyOf(epochs.values());
    }

    /** The largest gradient norm over every logged epoch, 0 if none. */
    double largestGradientNorm() {
        return epochs.values().stream().mapToDouble(Epoch::largestGradientNorm).max().orElse(0);
    }

    /** The updates clipping rescaled, over every logged epoch. */
    long clippedUpdates() {
        return epochs.values().stream().mapToLong(Epoch::clippedUpdates).sum();
    }

    /** A run resumed after the checkpoint's epoch starts there: the log keeps what came before. */
    @Override
    public void started(int firstEpoch, int epochCount) {
        keepUpTo(firstEpoch - 1);
    }

    @Override
    public void epochStarted(int epoch, int updates) {
        this.epoch = epoch;
        stepsBefore = (long) (epoch - 1) * updates;
        updatesDone = 0;
        lossSum = 0;
        largestNorm = 0;
        clipped = 0;
    }

    @Override
    public void updated(int epoch, int update, double loss, double gradientNorm) {
        updatesDone++;
        lossSum += loss;
        largestNorm = Math.max(largestNorm, gradientNorm);
        if (clipNorm > 0 && gradientNorm > clipNorm) {
            clipped++;   // the trainer's own test: it clips when the norm exceeds the threshold
        }
    }

    /**
     * Training stopped partway through an epoch because it diverged: logs the updates of that epoch
     * that did complete, so that the curve and the largest gradient norm run up to the divergence.
     */
    void endUnfinishedEpoch() throws IOException {
        if (updatesDone > 0) {
            // every update has the same batch size, so the epoch's loss is the mean of its updates' losses
            epochs.put(epoch, new Epoch(epoch, stepsBefore + updatesDone, lossSum / updatesDone, largestNorm, clipped));
            save();
        }
    }

    @Override
    public void epochEnded(EpochReport report) {
        epochs.put(report.epoch(), new Epoch(report.epoch(), report.steps(), report.trainingLoss(), largestNorm,
                report.clippedUpdates()));
        try {
            save();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run log " + file, e);
        }
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<Integer, Epoch> entry : epochs.entrySet()) {
            Epoch e = entry.getValue();
            text.append(String.format(Locale.ROOT, "%d\t%d\t%s\t%s\t%d\n", e.epoch(), e.updates(),
                    Double.toString(e.trainingLoss()), Double.toString(e.largestGradientNorm()), e.clippedUpdates()));
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFile.write(file, out -> out.write(bytes));
    }
}
