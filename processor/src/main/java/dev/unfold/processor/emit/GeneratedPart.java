package dev.unfold.processor.emit;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import java.util.List;

/**
 * A part of the generated class (its parameters, entry points, layers, output, loss, streaming,
 * feedback, context, trace, batched pass), which declares the members it uses: its constants, its
 * fields, the per-step buffers among them that {@code reserve} grows, and its methods.
 * {@link NetworkEmitter} assembles the class by asking each part in turn, so no part declares
 * another's buffers.
 */
interface GeneratedPart {

    /** Its {@code static final int} sizes. */
    default List<FieldSpec> constants() {
        return List.of();
    }

    /** Its fields, its per-step buffers among them. */
    default List<FieldSpec> fields() {
        return List.of();
    }

    /** Those of its fields with a row per step, which {@code reserve} grows with the longest sequence. */
    default List<StepBuffer> stepBuffers() {
        return List.of();
    }

    /** Its constructors and methods. */
    default List<MethodSpec> methods() {
        return List.of();
    }
}
