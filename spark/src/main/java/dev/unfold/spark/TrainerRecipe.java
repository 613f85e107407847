package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import dev.unfold.runtime.train.Trainer;
import java.io.Serializable;

/**
 * How each barrier task builds its {@link Trainer} around its copy of the network: the optimizer,
 * schedule, clipping, penalty and seed of the run, written once as a lambda that Java serialises,
 * {@code net -> new Trainer(net, new Adam(net.parameters(), 1e-3)).clipNorm(1).seed(7)}. Every task
 * builds the same trainer, so every replica takes the same steps. {@link BarrierTraining} sets the
 * epochs and the checkpoint itself; validation and listeners are the driver's business, not the recipe's.
 */
@FunctionalInterface
public interface TrainerRecipe extends Serializable {

    /** A trainer of {@code network}, with an optimizer built over {@code network.parameters()}. */
    Trainer create(SequenceModel network);
}
