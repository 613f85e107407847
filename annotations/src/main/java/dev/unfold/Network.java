package dev.unfold;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a recurrent network. Put it on an interface that extends
 * {@code dev.unfold.runtime.SequenceModel} and declares its layers as methods annotated with
 * {@link Recurrent}; Unfold's annotation processor then generates {@code Unfolded<Name>}, a class
 * specialised to exactly this network.
 *
 * <pre>{@code
 * @Network(input = 4, output = 1, loss = Loss.MSE)
 * public interface Forecaster extends SequenceModel {
 *     @Recurrent(hidden = 20, activation = Activation.TANH)
 *     Layer rnn();
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Network {

    /** Width of each input vector x_t; for token input, the vocabulary size. */
    int input();

    /** Width of each output ŷ_t; for {@link Loss#CROSS_ENTROPY}, the number of classes. */
    int output();

    /** The loss the network is trained with; it also fixes the output activation. */
    Loss loss() default Loss.MSE;

    /** How outputs line up with inputs. */
    Mapping mapping() default Mapping.MANY_TO_MANY;

    /**
     * Width of a context vector x the first layer reads at every step through weights of its own,
     * R, as image captioning reads an image's features (equations.md (7.1)); 0, the default,
     * for none. The generated network's {@code setContext} sets it before a sequence.
     */
    int context() default 0;

    /**
     * The type the network computes and keeps its parameters in: {@link Precision#FLOAT64}, the
     * default, or {@link Precision#FLOAT32}, PyTorch's default, whose methods take and fill
     * {@code float} arrays.
     */
    Precision precision() default Precision.FLOAT64;
}
