package dev.unfold.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run's state in one safetensors file: the weights under their own names, as
 * {@link Parameters#save} writes them, the optimizer's state under {@code optimizer/}, and the
 * trainer's counters under {@code training/}. The file is written to a temporary name and renamed over the old one, so a
 * crash at any moment leaves either the previous checkpoint or the new one, never a broken file.
 * Restoring it restores everything a run depends on, so a resumed run takes exactly the steps the
 * uninterrupted one would have taken.
 */
public final class Checkpoint {
    private static final String OPTIMIZER = "optimizer/";
    private static final String TRAINING = "training/";

    /**
     * Where a run stands after an epoch.
     *
     * @param epoch the last epoch completed, from 1
     * @param bestEpoch the epoch of the lowest validation loss so far (0 if none)
     * @param bestLoss that loss (the training loss when there is no validation data)
     */
    public record Progress(int epoch, int bestEpoch, double bestLoss) {}

    private Checkpoint() {}

    /** Writes weights, optimizer state and progress to {@code file}, atomically. */
    public static void save(Path file, Parameters parameters, Optimizer optimizer, Progress progress)
            throws IOException {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(parameters.tensors());
        for (Map.Entry<String, double[]> state : optimizer.state().entrySet()) {
            double[] values = state.getValue();
            tensors.put(OPTIMIZER + state.getKey(), new SafeTensors.Tensor(new long[] {values.length}, values.clone()));
        }
        tensors.put(TRAINING + "step", scalar(optimizer.steps()));
        tensors.put(TRAINING + "learning_rate", scalar(optimizer.learningRate()));
        tensors.put(TRAINING + "epoch", scalar(progress.epoch()));
        tensors.put(TRAINING + "best_epoch", scalar(progress.bestEpoch()));
        tensors.put(TRAINING + "best_loss", scalar(progress.bestLoss()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("producer", "Unfold");
        metadata.put("epoch", Integer.toString(progress.epoch()));
        metadata.put("step", Long.toString(optimizer.steps()));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Restores weights and optimizer state from {@code file} and returns the progress saved with
     * them. All or nothing: if anything is missing or does not fit, an exception says what, and
     * neither the weights nor the optimizer have changed.
     *
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     * @throws IllegalArgumentException if it does not fit this network or this optimizer
     */
    public static Progress load(Path file, Parameters parameters, Optimizer optimizer) throws IOException {
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        Map<String, SafeTensors.Tensor> saved = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> entry : tensors.entrySet()) {
            if (entry.getKey().startsWith(OPTIMIZER)) {
                saved.put(entry.getKey().substring(OPTIMIZER.length()), entry.getValue());
            } else if (!entry.getKey().startsWith(TRAINING)) {
                weights.put(entry.getKey(), entry.getValue());
            }
        }
        Map<String, double[]> state = optimizer.state();
        if (!saved.keySet().equals(state.keySet())) {
            throw new IllegalArgumentException(file + " holds the state of another optimizer: it has "
                    + saved.keySet() + ", " + optimizer.getClass().getSimpleName() + " keeps " + state.keySet());
        }
        for (Map.Entry<String, double[]> entry : state.entrySet()) {
            int length = saved.get(entry.getKey()).values().length;
            if (length != entry.getValue().length) {
                throw new IllegalArgumentException(file + "'s optimizer/" + entry.getKey() + " has " + length
                        + " values, expected " + entry.getValue().length);
            }
        }
        long step = (long) counter(tensors, file, "step");
        double learningRate = counter(tensors, file, "learning_rate");
        Progress progress = new Progress((int) counter(tensors, file, "epoch"),
                (int) counter(tensors, file, "best_epoch"), counter(tensors, file, "best_loss"));
        parameters.load(weights, file.toString());   // checks everything before changing anything
        for (Map.Entry<String, double[]> entry : state.entrySet()) {
            double[] values = saved.get(entry.getKey()).values();
            System.arraycopy(values, 0, entry.getValue(), 0, values.length);
        }
        optimizer.restoreSteps(step);
        optimizer.setLearningRate(learningRate);
        return progress;
    }

    private static SafeTensors.Tensor scalar(double value) {
        return new SafeTensors.Tensor(new long[] {1}, new double[] {value});
    }

    private static double counter(Map<String, SafeTensors.Tensor> tensors, Path file, String name) {
        SafeTensors.Tensor tensor = tensors.get(TRAINING + name);
        if (tensor == null || tensor.values().length != 1) {
            throw new IllegalArgumentException(file + " is not a training checkpoint: it has no " + TRAINING + name);
        }
        return tensor.values()[0];
    }
}
