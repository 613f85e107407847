package dev.unfold;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link Recurrent} layer in both directions (equations.md (6.1), (6.2)): besides h_t, a second recurrence
 * g_t = σ(W_B g_{t+1} + V_B x_t + b_B) runs from t = T down to 1 with weights of its own, and the
 * layer's output at step t is [h_t ; g_t], twice the hidden size. A many-to-one output reads
 * [h_T ; g_1]. The reverse direction's parameters carry the suffix {@code _reverse}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Bidirectional {}
