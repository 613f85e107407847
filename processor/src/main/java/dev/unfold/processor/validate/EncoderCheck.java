package dev.unfold.processor.validate;

import dev.unfold.Recurrence;
import dev.unfold.processor.cell.CarriedState;
import dev.unfold.processor.cell.CellKind;
import dev.unfold.processor.declaration.Anchor;
import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.NetworkDeclaration;
import dev.unfold.processor.declaration.NetworkDeclaration.Encoder;
import java.util.List;

/**
 * Whether a decoder can start from the state its {@code @DecodesFrom} encoder ends in: the state
 * passes layer by layer, so the two need as many layers, each pair of the same hidden size, of
 * cells carrying the same states (an LSTM's is h and c, the others' h alone: see
 * {@link CellKind#carriedStates}) and of the same size state by state (a projecting LSTM's h has
 * its projection's size, its c the hidden size); a bidirectional layer has no single final
 * state to hand on or start from; and an encoder that reads its previous output has no targets to
 * read while it encodes. All reported at the {@code @DecodesFrom} value.
 */
public final class EncoderCheck {
    private EncoderCheck() {}

    /** {@code @DecodesFrom} on a type without {@code @Network}, reported at the annotation. */
    public static Problem withoutNetwork(String name, Anchor decodesFrom) {
        return new Problem("UnfoldDecoderNotNetwork", "@DecodesFrom makes " + name + " a decoder, but " + name
                + " has no @Network, so Unfold generates nothing for it: add @Network(input = ..., output = ...),"
                + " or remove @DecodesFrom", decodesFrom);
    }

    static void check(NetworkDeclaration decoder, List<Problem> problems) {
        Encoder encoder = decoder.encoder();
        if (encoder == null || !encoder.resolved()) {
            return; // Unresolved waits for the encoder, and reports it if it never resolves
        }
        String name = encoder.name();
        if (!encoder.isNetwork()) {
            problems.add(new Problem("UnfoldEncoderNotNetwork", "@DecodesFrom names " + name + ", which is not a"
                    + " @Network interface: name the network whose final state this decoder starts from", encoder.anchor()));
            return;
        }
        if (decoder.layerMethods().stream().anyMatch(layer -> layer.recurrent() == null)) {
            return; // checkLayers reports the broken layer
        }
        List<LayerMethod> theirs = encoder.layers();
        List<LayerMethod> ours = decoder.layerMethods();
        if (theirs.stream().anyMatch(layer -> layer.recurrent() == null)) {
            return; // the encoder's own compilation reports its broken layers
        }
        if (theirs.size() != ours.size()) {
            problems.add(new Problem("UnfoldEncoderLayers", name + " has " + layers(theirs.size()) + " and "
                    + decoder.simpleName() + " " + layers(ours.size()) + ": each decoder layer starts from the"
                    + " encoder layer at the same depth, so give both the same number of layers", encoder.anchor()));
            return;
        }
        for (int k = 0; k < ours.size(); k++) {
            LayerMethod mine = ours.get(k);
            LayerMethod source = theirs.get(k);
            String pair = "layer " + (k + 1) + " (" + decoder.simpleName() + "." + mine.name() + " and " + name + "."
                    + source.name() + ")";
            if (mine.isBidirectional() || source.isBidirectional()) {
                problems.add(new Problem("UnfoldEncoderBidirectional", pair + " is bidirectional: its final state is"
                        + " not one state a decoder can start from; remove @Bidirectional", encoder.anchor()));
                continue;
            }
            Integer hidden = mine.recurrent().hidden().value();
            Integer sourceHidden = source.recurrent().hidden().value();
            if (hidden != null && sourceHidden != null && !hidden.equals(sourceHidden)) {
                problems.add(new Problem("UnfoldEncoderHidden", pair + " has hidden = " + hidden + " in the decoder"
                        + " and " + sourceHidden + " in the encoder: the decoder starts from the encoder's state, so"
                        + " give both the same hidden size", encoder.anchor()));
            }
            CellKind cell = mine.recurrent().cellKind();
            CellKind sourceCell = source.recurrent().cellKind();
            if (cell != null && sourceCell != null && !cell.carriedStates().equals(sourceCell.carriedStates())) {
                // name the cell whose state is more than h: the one the other does not match
                CellKind richer = cell.carriedStates().size() >= sourceCell.carriedStates().size() ? cell : sourceCell;
                problems.add(new Problem("UnfoldEncoderCell", pair + " is " + cell + " in the decoder and "
                        + sourceCell + " in the encoder: " + richer.stateInWords() + ", so make both " + richer
                        + " or neither", encoder.anchor()));
            } else if (cell != null && sourceCell != null && hidden != null && hidden.equals(sourceHidden)) {
                checkStateSizes(pair, mine, source, encoder, problems);
            }
            Recurrence recurrence = source.recurrent().recurrence().value();
            if (recurrence != null && recurrence != Recurrence.HIDDEN) {
                problems.add(new Problem("UnfoldEncoderFeedback", name + "." + source.name() + " reads its previous"
                        + " output, which an encoder has no targets for: encode with recurrence = HIDDEN",
                        encoder.anchor()));
            }
        }
    }

    /**
     * Pairs of the same cell and hidden size hand on states of the same size unless one projects h
     * and the other does not, or to another size: compared state by state.
     */
    private static void checkStateSizes(String pair, LayerMethod mine, LayerMethod source, Encoder encoder,
                                        List<Problem> problems) {
        CellKind cell = mine.recurrent().cellKind();
        CellKind sourceCell = source.recurrent().cellKind();
        long hidden = mine.recurrent().hidden().value();
        for (CarriedState state : cell.carriedStates()) {
            long ours = cell.stateSize(state, hidden);
            long theirs = sourceCell.stateSize(state, hidden);
            if (ours != theirs) {
                problems.add(new Problem("UnfoldEncoderProjection", pair + ": its " + state.symbol() + "_t has "
                        + ours + " values in the decoder (" + projection(cell) + ") and " + theirs + " in the encoder ("
                        + projection(sourceCell) + "): the decoder starts from the encoder's state, so give both the"
                        + " same projection", encoder.anchor()));
                return;
            }
        }
    }

    private static String projection(CellKind cell) {
        return cell.projects() ? "projection = " + cell.projection() : "no projection";
    }

    private static String layers(int count) {
        return count == 1 ? "1 layer" : count + " layers";
    }
}
