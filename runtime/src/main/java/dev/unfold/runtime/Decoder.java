package dev.unfold.runtime;

/**
 * A network that starts from given states instead of zero, one per sequence of a batch, and reports
 * the gradient they receive: the decoder of an {@link dev.unfold.runtime.seq2seq.EncoderDecoder}.
 * A network with {@code @DecodesFrom} must extend it. It carries state, so it is {@link Streaming}.
 */
public interface Decoder extends Streaming {

    /**
     * Encoder–decoder: after a {@code backward}, ∂L/∂(the state it started from), laid out as
     * {@link #saveState} lays out a state: what a decoder passes back to its encoder.
     */
    void initialStateGradient(double[] into, int offset);

    /**
     * Sets one initial state per sequence for the batched calls to come, each laid out as
     * {@link #saveState} lays one out: sequence b of each batch starts from {@code states[b]} instead
     * of zero, until set again; {@code null} goes back to zero states. The batches must have as many
     * sequences as there are states. Copies them; allocates only for a larger batch than before. A
     * decoder's batched pass, each sequence started from its encoder's final state.
     */
    void setInitialStates(double[][] states);

    /**
     * After a batched {@code backward}, writes into {@code into[b]} (each {@link #stateSize()} long)
     * what sequence b's initial state received: {@link #initialStateGradient} for every sequence.
     */
    void initialStateGradients(double[][] into);
}
