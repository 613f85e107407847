package dev.unfold.processor.emit;

import static dev.unfold.processor.declaration.RuntimeTypes.CHECKS;

import com.palantir.javapoet.CodeBlock;
import dev.unfold.processor.plan.GeneratedNames.Field;

/**
 * A buffer of batch rows that {@code batchReserve} grows with the longest batch: its field, its
 * row count, and what it holds. The part of the batched pass that uses it declares it.
 */
record BatchBuffer(String name, CodeBlock rows, String doc) {

    /** Rows of {@code width} values per step, rows 0..T+1 as in the single-sequence buffers. */
    static BatchBuffer perStep(String name, String width, String doc) {
        return new BatchBuffer(name, CodeBlock.of("$T.bufferLength($N, $N)", CHECKS, Field.BATCH_STEPS, width), doc);
    }

    /** {@code rows} rows, whatever the length. */
    static BatchBuffer fixed(String name, String rows, String doc) {
        return new BatchBuffer(name, CodeBlock.of("$N", rows), doc);
    }
}
