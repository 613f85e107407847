package dev.unfold.runtime;

/**
 * A network whose first layer reads its own previous output
 * ({@code @Recurrent(recurrence = OUTPUT | HIDDEN_AND_OUTPUT)}): trained on the previous targets, it
 * can also be trained on its own predictions (scheduled sampling). It runs freely step by step
 * when it predicts, so it is {@link Streaming}. A network whose first layer reads its output must
 * extend it, and only such a network may.
 */
public interface Autoregressive extends Streaming {

    /**
     * Scheduled sampling (Bengio et al., 2015) for a network whose first layer reads its previous
     * output ({@code @Recurrent(recurrence = OUTPUT | HIDDEN_AND_OUTPUT)}): from now on, at each step
     * after the first, {@code backward} feeds the network's own previous prediction instead of the
     * previous target with {@code probability}, flipping {@code random}'s coins. The choice is made
     * running forward step by step first (one more forward pass per call); the fed values are data,
     * so no gradient flows through them. 0, the default, is teacher forcing; {@code loss} always is.
     */
    void setScheduledSampling(double probability, java.util.Random random);
}
