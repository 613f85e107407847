package dev.unfold;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one recurrent layer. Put it on an abstract method without parameters that returns
 * {@code dev.unfold.runtime.Layer}; the method's name names the layer's parameters
 * ({@code rnn.weight_ih}, {@code rnn.weight_hh}, {@code rnn.bias}, {@code rnn.bias_hn} for a
 * GRU and {@code rnn.weight_hr} for a projecting LSTM; {@code rnn.bias_ih} and {@code rnn.bias_hh}
 * instead of the biases with {@code biases = Biases.TWO}). Layers stack in declaration order: each reads the output of the one before. Add
 * {@link Bidirectional} to run the layer in both directions.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Recurrent {

    /** Size of the hidden state h_t. */
    int hidden();

    /**
     * The non-linearity σ of a {@link Cell#SIMPLE} layer. LSTM and GRU layers use PyTorch's sigmoid
     * gates and tanh candidate, so they accept only the default.
     */
    Activation activation() default Activation.TANH;

    /** The recurrent cell. */
    Cell cell() default Cell.SIMPLE;

    /**
     * What the state is computed from besides the input: the previous state (the default), the
     * network's previous output ŷ_{t−1} (equations.md (8.1), trained with teacher forcing),
     * or both. Only the first layer may read the output, in a network with one output per step and
     * no bidirectional layer; its weights are {@code <layer>.weight_oh} (G·H × output).
     */
    Recurrence recurrence() default Recurrence.HIDDEN;

    /**
     * For an LSTM, the size P of a projected state (PyTorch's {@code nn.LSTM(proj_size = P)}, Sak,
     * Senior and Beaufays 2014): h_t = W_hr (o_t ⊙ tanh(c_t)) has P values while c_t keeps
     * {@link #hidden}, so the layer's output, W_hh's columns and the state a decoder takes over are
     * P wide. W_hr is {@code <layer>.weight_hr} (P × hidden). 0, the default, projects nothing; any
     * other value needs {@code cell = Cell.LSTM} and 0 &lt; projection &lt; hidden, as in PyTorch.
     */
    int projection() default 0;

    /**
     * One bias per gate row (the default), or PyTorch's two, {@code <layer>.bias_ih} and
     * {@code <layer>.bias_hh}, trained apart so that a training run matches PyTorch's
     * {@code torch.optim} step by step (equations.md (1.3)).
     */
    Biases biases() default Biases.ONE;

    /**
     * Dropout on the layer's input x_t in training (Srivastava et al. 2014; between stacked layers
     * as PyTorch's {@code nn.LSTM(dropout = p)} and Zaremba, Sutskever and Vinyals 2014): each value
     * of x_t is kept with probability 1 − p and scaled by 1/(1 − p), a fresh mask for every step,
     * unit and sequence. Only {@code backward} (and so training) drops; {@code forward},
     * {@code loss} and {@code step} use every value. 0, the default, drops nothing; otherwise
     * 0 &lt; p &lt; 1. The first layer's input is the network's; a layer above reads the one below.
     */
    double dropout() default 0;

    /**
     * Variational dropout on the previous state h_{t−1} where it enters W_hh (Gal and Ghahramani
     * 2016, Keras' {@code recurrent_dropout}): one mask per sequence, the same at every step and
     * shared by every gate; the state carried on is not dropped. For a projecting LSTM it is the
     * projected state of {@link #projection} values. Only {@code backward} drops. 0, the default,
     * drops nothing; otherwise 0 &lt; p &lt; 1.
     */
    double recurrentDropout() default 0;
}
