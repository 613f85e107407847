package dev.unfold;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares one recurrent layer: h_t = σ(W_ih x_t + W_hh h_{t−1} + b). Put it on an abstract
 * method without parameters that returns {@code dev.unfold.runtime.Layer}; the method's name
 * names the layer's parameters ({@code rnn.weight_ih}, {@code rnn.weight_hh}, {@code rnn.bias}).
 * Layers stack in declaration order: each reads the hidden state of the one before.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Recurrent {

    /** Size of the hidden state h_t. */
    int hidden();

    /** The non-linearity σ applied to the hidden state. */
    Activation activation() default Activation.TANH;
}
