package dev.unfold.processor.emit;


import com.palantir.javapoet.CodeBlock;
import dev.unfold.processor.cell.Equations;
import dev.unfold.processor.cell.Slot;
import dev.unfold.processor.cell.Statement;
import dev.unfold.processor.plan.DirectionPlan;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a cell's element-wise {@link Equations} into the loop over the units of one direction of a
 * layer: {@link SequenceLayout} for one sequence, {@link BatchLayout} for a batch with the lanes
 * innermost. Both index a step's rows from the same offsets, which the emitter binds before the
 * loop: {@code gate} (row t of the gates and deltas; {@code row} for the simple cell, whose rows
 * are H wide), {@code state} and {@code previous} (h_t and h_{t∓1} in the layer's states),
 * {@code cell} and {@code previousCell} (an LSTM's c_t and c_{t∓1}), {@code product} (a GRU's
 * W_hn h_{t−1} + b_hn).
 */
abstract class ElementwiseLayout {
    // the offsets of a step's rows that the emitter binds before the loop and the equations index from
    /** Row t of the gates and their deltas (G·H a row). */
    static final String GATE = "gate";
    /** Row t of the simple cell's δu (H a row). */
    static final String ROW = "row";
    /** This direction's h_t in the layer's states. */
    static final String STATE = "state";
    /** This direction's h_{t∓1} in the layer's states. */
    static final String PREVIOUS = "previous";
    /** An LSTM's c_t. */
    static final String CELL = "cell";
    /** An LSTM's c_{t∓1}. */
    static final String PREVIOUS_CELL = "previousCell";
    /** A GRU's W_hn h_{t−1} + b_hn. */
    static final String PRODUCT = "product";

    private static final Pattern SYMBOL = Pattern.compile("@\\w+|\\b(sigmoid|tanh)\\(|\\b" + Statement.ZERO + "\\b");

    final LayerPlan layer;
    final DirectionPlan direction;
    /** The type of every local and buffer element the equations compute with: the plan's. */
    final Scalar scalar;

    ElementwiseLayout(LayerPlan layer, DirectionPlan direction, Scalar scalar) {
        this.layer = layer;
        this.direction = direction;
        this.scalar = scalar;
    }

    /**
     * The loop over units k computing {@code equations}, the comments before their first
     * equation above it: they describe the whole loop.
     */
    final CodeBlock render(Equations equations) {
        List<Statement> statements = equations.statements();
        int leading = 0;
        while (leading < statements.size() && statements.get(leading) instanceof Statement.Comment) {
            leading++;
        }
        CodeBlock.Builder code = CodeBlock.builder();
        statements.subList(0, leading).forEach(statement -> code.add(statement(statement)));
        code.beginControlFlow("for (int k = 0; k < $N; k++)", layer.hiddenConstant())
                .add(openUnit(equations));
        statements.subList(leading, statements.size()).forEach(statement -> code.add(statement(statement)));
        return code.add(closeUnit()).endControlFlow().build();
    }

    /** What the layout needs inside the loop over units before the equations; nothing by default. */
    CodeBlock openUnit(Equations equations) {
        return CodeBlock.of("");
    }

    /** What closes {@link #openUnit}. */
    CodeBlock closeUnit() {
        return CodeBlock.of("");
    }

    /** The name of the buffer holding {@code buffer} in this layout. */
    abstract String buffer(Slot.Buffer buffer);

    /** {@code slot} inside the loop, as an expression that can be read and assigned. */
    abstract CodeBlock reference(Slot slot);

    /** One statement inside the loop. */
    private CodeBlock statement(Statement statement) {
        if (statement instanceof Statement.Let let) {
            return CodeBlock.builder()
                    .addStatement("$T $N = $L", scalar.type(), let.local(), expression(let.value())).build();
        }
        if (statement instanceof Statement.Store store) {
            return CodeBlock.builder()
                    .addStatement("$L = $L", reference(store.target()), expression(store.value())).build();
        }
        return CodeBlock.of("// $L\n", ((Statement.Comment) statement).text());
    }

    /** The expression's text with its slots resolved, the activations qualified and the zero of the scalar type. */
    private CodeBlock expression(Statement.Expression expression) {
        CodeBlock.Builder code = CodeBlock.builder();
        Matcher matcher = SYMBOL.matcher(expression.text());
        int from = 0;
        int slot = 0;
        while (matcher.find()) {
            code.add("$L", expression.text().substring(from, matcher.start()));
            if (matcher.group().equals(Statement.ZERO)) {
                code.add("$L", scalar.zero());
            } else if (matcher.group(1) == null) {
                code.add(reference(expression.slots().get(slot++)));
            } else {
                code.add("$T.$L(", scalar.activations(), matcher.group(1));
            }
            from = matcher.end();
        }
        return code.add("$L", expression.text().substring(from)).build();
    }

    /**
     * Where unit k of {@code slot} sits in its buffer's row for the step: {@code gate + 2 * H + k};
     * just {@code k} for BPTT's carried gradients, which have no row per step.
     */
    final CodeBlock offset(Slot slot) {
        return base(slot.buffer()) == null ? CodeBlock.of("k") : CodeBlock.of("$L + k", firstRow(slot));
    }

    /** Where unit 0 of {@code slot} sits in its buffer's row for the step: {@code gate + 2 * H}. */
    final CodeBlock firstRow(Slot slot) {
        String base = base(slot.buffer());
        return switch (slot.block()) {
            case 0 -> CodeBlock.of("$L", base);
            case 1 -> CodeBlock.of("$L + $N", base, layer.hiddenConstant());
            default -> CodeBlock.of("$L + $L * $N", base, slot.block(), layer.hiddenConstant());
        };
    }

    /** The offset of a step's row in {@code buffer}, bound before the loop; null for a buffer with no row per step. */
    String base(Slot.Buffer buffer) {
        return switch (buffer) {
            case GATES, DELTAS, HIDDEN_DELTAS -> layer.cell().isGated() ? GATE : ROW;
            case HIDDEN, HIDDEN_FROM_ABOVE -> STATE;
            case PREVIOUS_HIDDEN -> PREVIOUS;
            case CELL, PROJECTED -> CELL;   // m_t has a row of H values per step, as c_t
            case PREVIOUS_CELL -> PREVIOUS_CELL;
            case HIDDEN_PRODUCTS -> PRODUCT;
            case HIDDEN_CARRY, CELL_CARRY, PROJECTED_GRADIENT -> null;
            case SUMS -> STATE;
        };
    }
}
