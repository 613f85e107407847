package dev.unfold.processor.emit;

import static javax.lang.model.element.Modifier.PRIVATE;

import com.palantir.javapoet.FieldSpec;
import dev.unfold.processor.plan.Scalar;

/**
 * A buffer with a row per step, rows 0..T+1, which {@code reserve} grows for a longer sequence
 * than any before: its field, the constant holding its row width, and what it holds.
 */
record StepBuffer(String name, String width, String doc) {

    /** Its field, null until the first call reserves it. */
    FieldSpec field(Scalar scalar) {
        return FieldSpec.builder(scalar.array(1), name, PRIVATE).addJavadoc("$L\n", doc).build();
    }
}
