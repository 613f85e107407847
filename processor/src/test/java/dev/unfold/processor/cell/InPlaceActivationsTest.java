package dev.unfold.processor.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Activation;
import dev.unfold.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which activations a cell applies in place, so that a float batch may apply them to whole rows
 * before its loop, and what is left of the equations after: nothing computed twice, nothing lost.
 */
class InPlaceActivationsTest {
    private static final Step STEP = new Step(false, true, Activation.TANH, true);

    @Test
    void theLstmActivatesItsFourGateBlocksInPlaceAndKeepsTheRest() {
        Equations forward = CellKind.of(Cell.LSTM).forward(STEP);
        List<Equations.InPlaceActivation> activations = forward.inPlaceActivations((a, b) -> a.equals(b));
        assertEquals(List.of("sigmoid inputGate", "sigmoid forgetGate", "tanh candidate", "sigmoid outputGate"),
                activations.stream().map(a -> a.function() + " " + a.slot().name()).toList());

        List<Statement> rest = forward.withoutActivating(activations).statements();
        // the locals read the activated gates; the stores back and their comment are gone
        assertEquals("@inputGate", let(rest, "i"));
        assertEquals("@candidate", let(rest, "g"));
        assertTrue(rest.stream().noneMatch(s -> s instanceof Statement.Comment c && c.text().contains("keep the activations")));
        assertTrue(rest.stream().noneMatch(s -> s instanceof Statement.Store store
                && store.target().buffer() == Slot.Buffer.GATES), "no gate is stored again");
        // c_t and h_t are still computed, h_t's tanh lane by lane
        assertTrue(rest.stream().anyMatch(s -> s instanceof Statement.Store store && store.value().text().equals("o * tanh(c)")));
        assertEquals(forward.statements().size() - 5, rest.size(),
                "four stores and their comment dropped, four lets rewritten: " + rest);
    }

    @Test
    void theGruActivatesOnlyItsResetAndUpdateGatesInPlace() {
        Equations forward = CellKind.of(Cell.GRU).forward(STEP);
        List<Equations.InPlaceActivation> activations = forward.inPlaceActivations((a, b) -> a.equals(b));
        // n = tanh(a_n + r ⊙ (W_hn h + b_hn)) reads more than its own slot: it stays in the loop
        assertEquals(List.of("sigmoid reset", "sigmoid update"),
                activations.stream().map(a -> a.function() + " " + a.slot().name()).toList());
        List<Statement> rest = forward.withoutActivating(activations).statements();
        assertTrue(rest.stream().anyMatch(s -> s instanceof Statement.Comment c && c.text().contains("keep the activations")),
                "the comment still stands above the store of n");
        assertEquals("tanh(@candidate + r * @hiddenN)", let(rest, "n"));
    }

    @Test
    void theSimpleCellActivatesInPlaceOnlyWhereItsSumAndStateShareARow() {
        Equations forward = CellKind.of(Cell.SIMPLE).forward(STEP);
        assertEquals(List.of(), forward.inPlaceActivations((a, b) -> a.equals(b)), "one sequence: u and h are two rows");
        List<Equations.InPlaceActivation> batch = forward.inPlaceActivations((a, b) -> true);
        assertEquals(List.of("tanh u"), batch.stream().map(a -> a.function() + " " + a.slot().name()).toList());
        assertEquals(List.of(), forward.withoutActivating(batch).statements(), "nothing left to do lane by lane");
    }

    private static String let(List<Statement> statements, String local) {
        return statements.stream().filter(s -> s instanceof Statement.Let let && let.local().equals(local))
                .map(s -> ((Statement.Let) s).value().text()).findFirst().orElseThrow();
    }
}
