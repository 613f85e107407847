package dev.unfold.processor.cell;

import java.util.ArrayList;
import java.util.List;

/**
 * A cell's element-wise equations for unit k of one step, written once and rendered by each
 * layout (one sequence; a batch, lane by lane). Built line by line over the slots the cell
 * declares; see {@link Statement} for the expressions.
 */
public final class Equations {
    private final List<Slot> slots;
    private final List<Statement> statements = new ArrayList<>();

    public Equations(List<Slot> slots) {
        this.slots = List.copyOf(slots);
    }

    public Equations comment(String text) {
        statements.add(new Statement.Comment(text));
        return this;
    }

    /** {@code local = expression}. */
    public Equations let(String local, String expression) {
        statements.add(new Statement.Let(local, Statement.Expression.of(expression, slots)));
        return this;
    }

    /** {@code slot = expression}, the slot by its name. */
    public Equations store(String slot, String expression) {
        Slot target = Statement.Expression.of("@" + slot, slots).slots().get(0);
        statements.add(new Statement.Store(target, Statement.Expression.of(expression, slots)));
        return this;
    }

    /** The slots the equations may use, in the cell's order. */
    public List<Slot> slots() {
        return slots;
    }

    /** Whether any line reads or writes a slot of {@code buffer}. */
    public boolean uses(Slot.Buffer buffer) {
        return statements.stream().anyMatch(statement -> slotsOf(statement).stream()
                .anyMatch(slot -> slot.buffer() == buffer));
    }

    /** Whether a line writes a slot of {@code buffer}. */
    public boolean stores(Slot.Buffer buffer) {
        return statements.stream().anyMatch(statement -> statement instanceof Statement.Store store
                && store.target().buffer() == buffer);
    }

    private static List<Slot> slotsOf(Statement statement) {
        if (statement instanceof Statement.Let let) {
            return let.value().slots();
        }
        if (statement instanceof Statement.Store store) {
            List<Slot> slots = new ArrayList<>(store.value().slots());
            slots.add(store.target());
            return slots;
        }
        return List.of();
    }

    /** The names these equations give locals: each scalar local, and each slot, which a batch binds to its row. */
    public List<String> locals() {
        List<String> names = new ArrayList<>();
        slots.forEach(slot -> names.add(slot.name()));
        statements.stream().filter(Statement.Let.class::isInstance)
                .forEach(statement -> names.add(((Statement.Let) statement).local()));
        return names;
    }

    public List<Statement> statements() {
        return List.copyOf(statements);
    }
}
