package dev.unfold.runtime.train;

import dev.unfold.runtime.Parameters;

/**
 * Told what a {@link Trainer} is doing, for progress bars, logs, plots and diagnostics. Every
 * method does nothing unless overridden. {@link #updated} runs once per optimizer step: keep it
 * cheap, and allocation-free if the run should be.
 */
public interface TrainingListener {

    /** A run starts at {@code firstEpoch} (1, or later when resumed from a checkpoint). */
    default void started(int firstEpoch, int epochs) {}

    /** An epoch of {@code updates} updates begins. */
    default void epochStarted(int epoch, int updates) {}

    /**
     * The gradient of update {@code update} (from 0) is ready: averaged over the update's outputs,
     * any penalty added, and not yet clipped or used. {@code parameters} are the ones trained; read
     * their gradients, do not change them. Runs once per update, like {@link #updated}.
     */
    default void gradientsComputed(int epoch, int update, Parameters parameters) {}

    /**
     * Update {@code update} (from 0) of the epoch is done: {@code loss} is its mean per output,
     * {@code gradientNorm} the global gradient norm before any clipping.
     */
    default void updated(int epoch, int update, double loss, double gradientNorm) {}

    /** An epoch ended; its checkpoint, if any, is written. */
    default void epochEnded(EpochReport report) {}

    /** The run ended: after its last epoch, or early because the validation loss stopped improving. */
    default void finished(TrainingResult result) {}
}
