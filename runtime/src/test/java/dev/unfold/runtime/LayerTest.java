package dev.unfold.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unfold.Activation;
import dev.unfold.Cell;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a layer reports of its sizes, with and without a projection of its state. */
class LayerTest {
    private static final Parameters NONE = new Parameters(List.of());

    @Test
    void aPlainLayersStateIsItsHiddenSize() {
        Layer gru = Layer.of("gru", 3, 5, Cell.GRU, Activation.TANH, true, NONE);
        assertEquals(List.of(5, 0, 5, 10), List.of(gru.hiddenSize(), gru.projectionSize(), gru.stateSize(),
                gru.outputSize()));
    }

    @Test
    void aProjectingLstmOutputsItsProjection() {
        Layer lstm = Layer.projecting("lstm", 3, 5, 2, true, NONE);
        assertEquals(List.of(5, 2, 2, 4), List.of(lstm.hiddenSize(), lstm.projectionSize(), lstm.stateSize(),
                lstm.outputSize()));
        assertEquals(Cell.LSTM, lstm.cell());
        assertEquals("lstm: bidirectional LSTM 3 → 4 (5 units projected to 2; 0 parameters)", lstm.toString());
    }

    @Test
    void aProjectionMustLieBelowTheHiddenSize() {
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> Layer.projecting("lstm", 3, 5, 5, false, NONE));
        assertEquals("projectionSize is 5, expected 1 to 4 (below hiddenSize 5)", tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Layer.projecting("lstm", 3, 5, 0, false, NONE));
        assertEquals("projectionSize is 1, but a layer of hiddenSize 1 cannot project: the projection must be"
                        + " smaller than the hidden size",
                assertThrows(IllegalArgumentException.class, () -> Layer.projecting("lstm", 3, 1, 1, false, NONE))
                        .getMessage());
    }
}
