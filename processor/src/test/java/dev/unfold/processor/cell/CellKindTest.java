package dev.unfold.processor.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Recurrence;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each cell is, checked against PyTorch's documentation of nn.RNN, nn.LSTM and nn.GRU (gate
 * order, activations, weight shapes) rather than against the code that uses it.
 */
class CellKindTest {

    @Test
    void everyDeclaredCellHasOneKindThatNamesIt() {
        for (Cell cell : Cell.values()) {
            CellKind kind = CellKind.of(cell);
            assertEquals(cell, kind.declared());
            assertEquals(cell.name(), kind.name());
        }
        assertNull(CellKind.of(null), "an unresolved cell has no kind yet");
    }

    @Test
    void gatesInPyTorchsOrderWithTheirActivations() {
        CellKind lstm = CellKind.of(Cell.LSTM);
        assertEquals(List.of(new Gate("i", Activation.SIGMOID), new Gate("f", Activation.SIGMOID),
                new Gate("g", Activation.TANH), new Gate("o", Activation.SIGMOID)), lstm.gates());
        assertEquals("i, f, g, o", lstm.gateNames());
        CellKind gru = CellKind.of(Cell.GRU);
        assertEquals(List.of(new Gate("r", Activation.SIGMOID), new Gate("z", Activation.SIGMOID),
                new Gate("n", Activation.TANH)), gru.gates());
        assertEquals("r, z, n", gru.gateNames());
        assertEquals(1, CellKind.of(Cell.SIMPLE).gateCount());
    }

    @Test
    void onlyTheSimpleCellTakesAnActivationAndMayDropItsRecurrentWeights() {
        CellKind simple = CellKind.of(Cell.SIMPLE);
        assertTrue(simple.takesActivation());
        assertFalse(simple.isGated());
        assertTrue(simple.allows(Recurrence.OUTPUT));
        for (Cell cell : List.of(Cell.LSTM, Cell.GRU)) {
            CellKind gated = CellKind.of(cell);
            assertTrue(gated.isGated(), cell.name());
            assertFalse(gated.takesActivation(), cell.name());
            assertFalse(gated.allows(Recurrence.OUTPUT), cell.name() + "'s gates read h_{t−1}");
            assertTrue(gated.allows(Recurrence.HIDDEN_AND_OUTPUT), cell.name());
            assertTrue(gated.allows(Recurrence.HIDDEN), cell.name());
        }
    }

    @Test
    void carriedStatesHThenC() {
        assertEquals(List.of("h"), symbols(CellKind.of(Cell.SIMPLE)));
        assertEquals(List.of("h", "c"), symbols(CellKind.of(Cell.LSTM)));
        assertEquals(List.of("h"), symbols(CellKind.of(Cell.GRU)));
        assertEquals(14, CellKind.of(Cell.LSTM).stateLength(7));
        assertEquals(7, CellKind.of(Cell.GRU).stateLength(7));
        assertEquals("an LSTM's state is h and c", CellKind.of(Cell.LSTM).stateInWords());
    }

    /**
     * One direction reading I inputs with H units: PyTorch's weight_ih_l0 is G·H × I and
     * weight_hh_l0 G·H × H. Unfold sums PyTorch's two biases into one of G·H, except the GRU's
     * b_hn (H), which r multiplies.
     */
    @Test
    void parameterCountsFromPyTorchsShapes() {
        int input = 5;
        int hidden = 3;
        assertEquals(hidden * input + hidden * hidden + hidden,
                CellKind.of(Cell.SIMPLE).parameterCount(hidden, input + hidden, false));
        assertEquals(4 * hidden * input + 4 * hidden * hidden + 4 * hidden,
                CellKind.of(Cell.LSTM).parameterCount(hidden, input + hidden, false));
        assertEquals(3 * hidden * input + 3 * hidden * hidden + 3 * hidden + hidden,
                CellKind.of(Cell.GRU).parameterCount(hidden, input + hidden, false));
        assertEquals(List.of(new CellParameter("bias_hn", "b_hn", "BiasHn")), CellKind.of(Cell.GRU).ownParameters());
        assertEquals(List.of(), CellKind.of(Cell.LSTM).ownParameters());
    }

    /**
     * With PyTorch's two biases a layer has bias_ih and bias_hh of G·H each, as PyTorch's modules
     * do; the GRU's b_hn is then the n rows of bias_hh, not a parameter of its own.
     */
    @Test
    void twoBiasesArePyTorchsCounts() {
        int input = 5;
        int hidden = 3;
        assertEquals(hidden * input + hidden * hidden + 2 * hidden,
                CellKind.of(Cell.SIMPLE).parameterCount(hidden, input + hidden, true));
        assertEquals(4 * hidden * input + 4 * hidden * hidden + 8 * hidden,
                CellKind.of(Cell.LSTM).parameterCount(hidden, input + hidden, true));
        assertEquals(3 * hidden * input + 3 * hidden * hidden + 6 * hidden,
                CellKind.of(Cell.GRU).parameterCount(hidden, input + hidden, true));
        assertEquals(List.of(), CellKind.of(Cell.GRU).ownParameters(true));
        assertEquals(2, CellKind.of(Cell.GRU).hiddenBiasBlock(GruCell.HIDDEN_BIAS));
        assertEquals(List.of(LstmCell.PROJECTION_WEIGHT), CellKind.of(Cell.LSTM, 2).ownParameters(true));
    }

    /**
     * PyTorch's nn.LSTM(5, 4, proj_size = 2): weight_ih_l0 is 16 × 5, weight_hh_l0 16 × 2 (it reads
     * the projected h), the biases 16, weight_hr_l0 2 × 4; it carries h of 2 values and c of 4.
     */
    @Test
    void aProjectingLstmCarriesHOfItsProjectionAndCOfItsUnits() {
        CellKind projected = CellKind.of(Cell.LSTM, 2);
        assertTrue(projected.projects());
        assertEquals(2, projected.projection());
        assertEquals(List.of("h", "c"), symbols(projected));
        assertEquals(2, projected.stateSize(CarriedState.HIDDEN, 4));
        assertEquals(4, projected.stateSize(LstmCell.CELL_STATE, 4));
        assertEquals(2 + 4, projected.stateLength(4));
        assertEquals(16 * 5 + 16 * 2 + 16 + 2 * 4, projected.parameterCount(4, 5 + projected.outputSize(4), false));
        assertEquals(List.of(LstmCell.PROJECTION_WEIGHT), projected.ownParameters());
        assertEquals(CellKind.of(Cell.LSTM, 2), projected, "kinds of the same projection are equal");
        assertFalse(CellKind.of(Cell.LSTM, 0).projects(), "0 projects nothing");
        assertFalse(CellKind.of(Cell.GRU, 2).projects(), "only an LSTM projects; the validator refuses the rest");
    }

    @Test
    void buffersOnlyTheGruKeeps() {
        CellKind gru = CellKind.of(Cell.GRU);
        assertTrue(gru.keepsHiddenProducts());
        assertTrue(gru.separatesHiddenDeltas());
        for (Cell cell : List.of(Cell.SIMPLE, Cell.LSTM)) {
            assertFalse(CellKind.of(cell).keepsHiddenProducts(), cell.name());
            assertFalse(CellKind.of(cell).separatesHiddenDeltas(), cell.name());
        }
    }

    private static List<String> symbols(CellKind kind) {
        return kind.carriedStates().stream().map(CarriedState::symbol).toList();
    }
}
