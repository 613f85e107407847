package dev.unfold.processor.plan;

/**
 * Where the batched pass keeps what the network shares across layers (see
 * the runtime's {@code BatchKernels}): every buffer is a list of batch rows, arrays of one
 * value per sequence, laid out as the single-sequence buffers are, row for value.
 *
 * @param lanes the field holding how many lanes the batch rows have room for
 * @param steps the field holding how many steps the batch buffers have room for
 * @param lengths the field holding each lane's sequence length (the longest for lanes past the batch)
 * @param shortest the field holding the batch's shortest length: no sequence has ended up to it
 * @param inputs the network's dense inputs, row t · I + j holding x_t[j] of every sequence
 * @param logits the output logits, rows as in {@link OutputPlan#logits()}
 * @param delta ∂L/∂o, rows as the logits
 * @param summary for many-to-one, [h_T ; g_1] of the top layer, one row per value; null otherwise
 * @param summaryGradient for many-to-one, ∂L/∂summary; null otherwise
 * @param column one sequence's logits at one step, gathered from the batch rows for its loss
 * @param columnDelta one sequence's ∂L/∂o at one step, before it is scattered back
 */
public record BatchPlan(
        String lanes,
        String steps,
        String lengths,
        String shortest,
        String inputs,
        String logits,
        String delta,
        String summary,
        String summaryGradient,
        String column,
        String columnDelta) {}
