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

    /**
     * An activation these equations apply to a slot and store back where it was read: a gate
     * block's {@code i = sigmoid(@inputGate)} … {@code @inputGate = i}, or the simple cell's
     * {@code @h = tanh(@u)} where h and u share a row. A batch may apply it to the slot's rows
     * for every unit before the loop ({@link #withoutActivating}).
     *
     * @param function {@code sigmoid} or {@code tanh}
     * @param slot the slot activated in place
     * @param local the local that holds the activation, or null where the store writes it directly
     */
    public record InPlaceActivation(String function, Slot slot, String local) {}

    private static final java.util.regex.Pattern ACTIVATION =
            java.util.regex.Pattern.compile("(sigmoid|tanh)\\(@\\w+\\)");

    /**
     * The activations these equations apply in place, each to a slot no other line reads or
     * writes; {@code sameRow} says whether two slots are one row of the layout (the simple cell's
     * u and h in a batch).
     */
    public List<InPlaceActivation> inPlaceActivations(java.util.function.BiPredicate<Slot, Slot> sameRow) {
        List<InPlaceActivation> found = new ArrayList<>();
        for (Statement statement : statements) {
            if (statement instanceof Statement.Let let && ACTIVATION.matcher(let.value().text()).matches()) {
                Slot slot = let.value().slots().get(0);
                boolean storedBack = statements.stream().anyMatch(other -> other instanceof Statement.Store store
                        && store.target().equals(slot) && store.value().text().equals(let.local()));
                if (storedBack && references(slot) == 2) {
                    found.add(new InPlaceActivation(function(let.value()), slot, let.local()));
                }
            } else if (statement instanceof Statement.Store store && ACTIVATION.matcher(store.value().text()).matches()
                    && sameRow.test(store.target(), store.value().slots().get(0))) {
                found.add(new InPlaceActivation(function(store.value()), store.value().slots().get(0), null));
            }
        }
        return found;
    }

    private static String function(Statement.Expression activation) {
        return activation.text().substring(0, activation.text().indexOf('('));
    }

    private long references(Slot slot) {
        return statements.stream().mapToLong(statement -> slotsOf(statement).stream().filter(slot::equals).count()).sum();
    }

    /**
     * These equations with {@code activations} already applied to their slots: a local takes the
     * slot's (activated) value, and the store back, which would write it again, is gone.
     */
    public Equations withoutActivating(List<InPlaceActivation> activations) {
        Equations rest = new Equations(slots);
        for (int s = 0; s < statements.size(); s++) {
            Statement statement = statements.get(s);
            InPlaceActivation applied = activations.stream().filter(activation -> isPartOf(statement, activation))
                    .findFirst().orElse(null);
            if (applied == null && !(statement instanceof Statement.Comment && describesOnly(s, activations))) {
                rest.statements.add(statement);
            } else if (statement instanceof Statement.Let let) {
                rest.let(let.local(), "@" + applied.slot().name());
            }
        }
        return rest;
    }

    /** Whether the comment at {@code s} stands above nothing but lines that {@code activations} remove. */
    private boolean describesOnly(int s, List<InPlaceActivation> activations) {
        int next = s + 1;
        while (next < statements.size() && !(statements.get(next) instanceof Statement.Comment)) {
            Statement line = statements.get(next);
            if (line instanceof Statement.Let || activations.stream().noneMatch(activation -> isPartOf(line, activation))) {
                return false;
            }
            next++;
        }
        return next > s + 1;
    }

    private static boolean isPartOf(Statement statement, InPlaceActivation activation) {
        if (statement instanceof Statement.Let let) {
            return let.local().equals(activation.local()) && let.value().slots().equals(List.of(activation.slot()));
        }
        if (statement instanceof Statement.Store store) {
            return activation.local() == null
                    ? store.value().slots().equals(List.of(activation.slot()))
                            && ACTIVATION.matcher(store.value().text()).matches()
                    : store.target().equals(activation.slot()) && store.value().text().equals(activation.local());
        }
        return false;
    }
}
