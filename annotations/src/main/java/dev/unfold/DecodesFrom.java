package dev.unfold;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a {@link Network} a decoder of another: it starts from the final state the encoder
 * ends a source sequence in (equations.md (10.1)), layer by layer, and
 * {@code dev.unfold.runtime.seq2seq.EncoderDecoder} trains the two end to end. The processor checks at
 * compile time that the states fit: as many layers, each of the same hidden size, LSTM facing LSTM
 * (its state is h and c), none bidirectional, and an encoder whose layers read only their own
 * state. Several decoders may name one encoder.
 *
 * <pre>{@code
 * @Network(input = 12, output = 12, loss = Loss.CROSS_ENTROPY)
 * @DecodesFrom(DigitEncoder.class)
 * public interface Reverser extends SequenceModel {
 *     @Recurrent(hidden = 128, cell = Cell.LSTM)
 *     Layer lstm();
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DecodesFrom {

    /** The encoder: another {@code @Network} interface. */
    Class<?> value();
}
