package dev.unfold.samples;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything a run of the memory sample depends on.
 *
 * @param tasks the tasks to run, in order
 * @param lengths the sequence lengths T, one row of the table each
 * @param updates optimizer steps per run
 * @param updatesPerEpoch updates per "epoch": one checkpoint and one point of the loss curve
 * @param batchSize fresh sequences per update
 * @param learningRate SGD's step size η
 * @param momentum SGD's momentum μ
 * @param clipNorm the threshold C of clipping by global norm, g · min(1, C/‖g‖)
 * @param testSize held-out sequences per task and length
 * @param seed seeds the weights, the training batches and the test sets
 * @param jobs runs trained at once, one per core
 * @param checkpoints the directory the runs' checkpoints go under
 * @param plot where the loss curves go (with the task's name added when there are several tasks)
 * @param fresh whether to delete the runs' checkpoints first
 */
record MemorySettings(List<MemoryTask> tasks, List<Integer> lengths, int updates, int updatesPerEpoch, int batchSize,
                      double learningRate, double momentum, double clipNorm, int testSize, long seed, int jobs,
                      Path checkpoints, Path plot, boolean fresh) {

    MemorySettings {
        tasks = List.copyOf(tasks);
        lengths = List.copyOf(lengths);
        if (tasks.isEmpty() || lengths.isEmpty()) {
            throw new IllegalArgumentException("nothing to run: give at least one task and one length");
        }
        if (lengths.stream().distinct().count() != lengths.size()) {
            throw new IllegalArgumentException("lengths " + lengths + " name a length twice: each is one row of the table");
        }
        for (MemoryTask task : tasks) {
            for (int length : lengths) {
                if (length < task.minimumLength()) {
                    throw new IllegalArgumentException("length " + length + " is too short for the " + task.title()
                            + ": it needs at least " + task.minimumLength() + " steps");
                }
            }
        }
        positive("updates", updates);
        positive("updates per epoch", updatesPerEpoch);
        if (updates % updatesPerEpoch != 0) {
            throw new IllegalArgumentException("updates (" + updates + ") must be a whole number of epochs of "
                    + updatesPerEpoch + " updates, e.g. " + Math.max(updatesPerEpoch, updates / updatesPerEpoch
                    * updatesPerEpoch));
        }
        positive("batch size", batchSize);
        positive("test size", testSize);
        positive("jobs", jobs);
        if (!(learningRate > 0) || !(clipNorm > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("expected a learning rate > 0, a clipping threshold > 0 and a momentum in"
                    + " [0, 1), got " + learningRate + ", " + clipNorm + " and " + momentum);
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    int epochs() {
        return updates / updatesPerEpoch;
    }

    /**
     * The directory of the runs made with these settings: named after everything that changes how
     * a run trains, so that a rerun with other settings never resumes a checkpoint that is not its own.
     */
    Path runDirectory() {
        return checkpoints.resolve(String.format(Locale.ROOT, "seed%d-sgd%s-momentum%s-batch%d-clip%s-updates%d-epoch%d",
                seed, number(learningRate), number(momentum), batchSize, number(clipNorm), updates, updatesPerEpoch));
    }

    /** Where the loss curves of {@code task} go. */
    Path plotFile(MemoryTask task) {
        if (tasks.size() == 1) {
            return plot;
        }
        String name = plot.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String withTask = dot > 0 ? name.substring(0, dot) + "-" + task.name() + name.substring(dot)
                : name + "-" + task.name();
        return plot.resolveSibling(withTask);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
