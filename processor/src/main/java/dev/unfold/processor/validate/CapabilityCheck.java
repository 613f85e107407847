package dev.unfold.processor.validate;

import dev.unfold.Loss;
import dev.unfold.Recurrence;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.NetworkDeclaration;
import java.util.List;

/**
 * Whether the declaration can do what its interface extends, and extends what its annotations say
 * it does. One rule for the capabilities an annotation implies (a context, output feedback,
 * {@code @DecodesFrom}, cross-entropy): the interface must say so too, as AutoValue asks for what
 * it generates to be declared, so that the type tells its reader which methods it has. Each problem
 * is reported at the interface, whose extends clause is where the fix goes.
 */
final class CapabilityCheck {
    private CapabilityCheck() {}

    static void check(NetworkDeclaration network, List<Problem> problems) {
        if (network.layerMethods().isEmpty() || !network.extendsSequenceModel()) {
            return; // nothing to judge yet: the type checks report it
        }
        String name = network.simpleName();
        LayerMethod bidirectional = network.layerMethods().stream().filter(LayerMethod::isBidirectional).findFirst()
                .orElse(null);
        boolean feedsBack = readsOutput(network);
        Capability streaming = declaredStreaming(network);
        if (streaming != null && bidirectional != null && !feedsBack) { // else UnfoldOutputRecurrenceBidirectional
            String which = streaming == Capability.STREAMING ? "Streaming"
                    : streaming.simpleName() + ", which is Streaming,";
            problems.add(new Problem("UnfoldStreamingBidirectional", name + " extends " + which + " but "
                    + bidirectional.name() + "() is bidirectional: its reverse direction needs the whole sequence,"
                    + " so the network can neither run step by step nor carry its state on; remove "
                    + streaming.simpleName() + " from the extends clause, or @Bidirectional from "
                    + bidirectional.name() + "()", network.anchor()));
        }
        if (network.has(Capability.ENCODER) && feedsBack) {
            problems.add(new Problem("UnfoldEncoderFeedback", name + " extends Encoder, but "
                    + network.layerMethods().get(0).name() + "() reads its previous output, which an encoder has no"
                    + " targets for: remove Encoder from the extends clause, or encode with recurrence = HIDDEN",
                    network.anchor()));
        }
        if (network.has(Capability.DECODER) && feedsBack) {
            problems.add(new Problem("UnfoldDecoderFeedback", name + " extends Decoder, but "
                    + network.layerMethods().get(0).name() + "() reads its previous output, so it runs a batch one"
                    + " sequence at a time and cannot start each from its own given state: remove Decoder from the"
                    + " extends clause, or decode with recurrence = HIDDEN", network.anchor()));
        }
        Integer context = network.context().value();
        boolean hasContext = context != null && context > 0;
        implied(network, Capability.CONTEXTUAL, hasContext, "context = " + context, "@Network(context = <width>)",
                problems);
        LayerMethod first = network.layerMethods().get(0);
        implied(network, Capability.AUTOREGRESSIVE, feedsBack, feedsBack
                ? "recurrence = " + first.recurrent().recurrence().value() + " in " + first.name() + "()" : null,
                "a first layer declared with recurrence = OUTPUT or HIDDEN_AND_OUTPUT", problems);
        implied(network, Capability.CLASSIFIER, network.loss().value() == Loss.CROSS_ENTROPY,
                "loss = CROSS_ENTROPY", "loss = CROSS_ENTROPY: class labels are indices into its softmax", problems);
        if (network.encoder() != null && !network.has(Capability.DECODER)) {
            problems.add(new Problem("UnfoldMissingCapability", "@DecodesFrom makes " + name + " a decoder, so it"
                    + " must say so: add Decoder to its extends clause (interface " + lastName(network) + " extends "
                    + "Decoder, ...)", network.anchor()));
        }
    }

    /**
     * A capability the annotation implies must be declared, and one it does not imply cannot be:
     * the generated class would have nothing to implement it with.
     */
    private static void implied(NetworkDeclaration network, Capability capability, boolean byAnnotation,
                                String because, String needs, List<Problem> problems) {
        String name = network.simpleName();
        if (byAnnotation && !network.has(capability)) {
            problems.add(new Problem("UnfoldMissingCapability", because + " makes " + name + " "
                    + article(capability) + ", so it must say so: add " + capability.simpleName()
                    + " to its extends clause (interface " + lastName(network) + " extends " + capability.simpleName()
                    + ", ...)", network.anchor()));
        } else if (!byAnnotation && network.has(capability)) {
            problems.add(new Problem("UnfoldUnsupportedCapability", name + " extends " + capability.simpleName()
                    + ", which needs " + needs + ": declare that, or remove " + capability.simpleName()
                    + " from the extends clause", network.anchor()));
        }
    }

    /** The declared capability that makes the network carry state, or null. */
    private static Capability declaredStreaming(NetworkDeclaration network) {
        for (Capability capability : List.of(Capability.ENCODER, Capability.DECODER, Capability.STREAMING)) {
            if (network.has(capability)) {
                return capability;
            }
        }
        return null;
    }

    private static boolean readsOutput(NetworkDeclaration network) {
        LayerMethod first = network.layerMethods().get(0);
        if (first.recurrent() == null) {
            return false;
        }
        Recurrence recurrence = first.recurrent().recurrence().value();
        return recurrence != null && recurrence != Recurrence.HIDDEN;
    }

    private static String article(Capability capability) {
        return switch (capability) {
            case CONTEXTUAL -> "Contextual";
            case AUTOREGRESSIVE -> "Autoregressive";
            default -> "a " + capability.simpleName();
        };
    }

    private static String lastName(NetworkDeclaration network) {
        return network.nestingNames().get(network.nestingNames().size() - 1);
    }
}
