package dev.unfold.processor.plan;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every name the generated class gives a member of its own, whatever the layers are called: the one
 * place that spells them. The emitters write these constants ({@code Method.RESERVE}), never the
 * names as text ({@code GeneratedNamesTest}); the planner reserves them, so that no name made from
 * a layer's takes one. The names made from a layer's name ({@code rnnH}, {@code RNN_HIDDEN}...)
 * are the planner's, and the plan holds them.
 */
public final class GeneratedNames {
    private GeneratedNames() {}

    /** The names of the generated class's {@code static final int} sizes. */
    public static final class Constant {
        private Constant() {}

        /** Holds the network's input width. */
        public static final String INPUT = "INPUT";
        /** Holds the network's output width. */
        public static final String OUTPUT = "OUTPUT";
        /** Holds the trainable scalars. */
        public static final String PARAMETER_COUNT = "PARAMETER_COUNT";
        /** Holds the values of a saved state. */
        public static final String STATE_SIZE = "STATE_SIZE";
        /** Holds the context vector's width. */
        public static final String CONTEXT = "CONTEXT";
    }

    /** The names of the generated class's fields. */
    public static final class Field {
        private Field() {}

        // The parameters, their layer views, and the per-step buffers' capacity
        public static final String PARAMETERS = "parameters";
        public static final String LAYERS = "layers";
        public static final String CAPACITY = "capacity";

        // The output projection's weights, buffers and scratch (see OutputPlan)
        public static final String OUT_WEIGHT = "outWeight";
        public static final String OUT_WEIGHT_GRAD = "outWeightGrad";
        public static final String OUT_BIAS = "outBias";
        public static final String OUT_BIAS_GRAD = "outBiasGrad";
        public static final String OUT_LOGITS = "outLogits";
        public static final String OUT_DELTA = "outDelta";
        public static final String OUT_SUMMARY = "outSummary";
        public static final String OUT_SUMMARY_GRAD = "outSummaryGrad";
        public static final String OUT_WEIGHT_COLUMNS = "outWeightColumns";
        public static final String OUT_WEIGHT_ROWS = "outWeightRows";
        public static final String OUT_WEIGHT_GRAD_ROWS = "outWeightGradRows";
        public static final String OUT_INPUT = "outInput";
        public static final String OUT_SCRATCH = "outScratch";
        public static final String OUT_WEIGHT_COPIED = "outWeightCopied";

        // Streaming and carried state
        public static final String STEP_INPUTS = "stepInputs";
        public static final String STEP_TOKENS = "stepTokens";
        public static final String STEP_OUTPUTS = "stepOutputs";
        public static final String STATEFUL = "stateful";
        public static final String LAST_STEPS = "lastSteps";

        // Gradient diagnostics
        public static final String STATE_GRADIENT_TRACING = "stateGradientTracing";
        public static final String STATE_GRADIENT_TRACE = "stateGradientTrace";

        // The context vector
        public static final String CONTEXT_VECTOR = "contextVector";
        public static final String BATCH_CONTEXTS = "batchContexts";
        public static final String BATCH_CONTEXT_COUNT = "batchContextCount";
        public static final String KEPT_CONTEXT = "keptContext";

        // Feeding the output back, and scheduled sampling
        public static final String FED_BACK = "fedBack";
        public static final String FREE_RUN_STATE = "freeRunState";
        public static final String FREE_RUN_FED_BACK = "freeRunFedBack";
        public static final String SAMPLING_PROBABILITY = "samplingProbability";
        public static final String SAMPLING_RANDOM = "samplingRandom";
        public static final String SAMPLED_TARGETS = "sampledTargets";
        public static final String SAMPLED_LABELS = "sampledLabels";
        public static final String SAMPLED_OUTPUT = "sampledOutput";

        // The batch's per-sequence states
        public static final String BATCH_INITIAL_STATES = "batchInitialStates";
        public static final String BATCH_INITIAL_STATE_COUNT = "batchInitialStateCount";
        public static final String BATCH_SEEDS = "batchSeeds";
        public static final String BATCH_SEQUENCES = "batchSequences";
        public static final String BATCH_STREAM_STATES = "batchStreamStates";
        public static final String BATCH_STREAM_COUNT = "batchStreamCount";

        // Dropout in training (see DropoutPlan)
        public static final String DROPPING = "dropping";
        public static final String DROPOUT_SEED = "dropoutSeed";
        public static final String DROPOUT_DRAW = "dropoutDraw";
        public static final String DROPOUT_SEQUENCE = "dropoutSequence";

        // The batched pass's network-wide buffers (see BatchPlan)
        public static final String BATCH_LANES = "batchLanes";
        public static final String BATCH_STEPS = "batchSteps";
        public static final String BATCH_LENGTHS = "batchLengths";
        public static final String BATCH_SHORTEST = "batchShortest";
        public static final String BATCH_INPUTS = "batchInputs";
        public static final String BATCH_LOGITS = "batchLogits";
        public static final String BATCH_DELTA = "batchDelta";
        public static final String BATCH_SUMMARY = "batchSummary";
        public static final String BATCH_SUMMARY_GRAD = "batchSummaryGrad";
        public static final String BATCH_COLUMN = "batchColumn";
        public static final String BATCH_COLUMN_DELTA = "batchColumnDelta";
    }

    /** The names of the generated class's methods. */
    public static final class Method {
        private Method() {}

        // What SequenceModel and the capabilities declare
        public static final String INPUT_SIZE = "inputSize";
        public static final String OUTPUT_SIZE = "outputSize";
        public static final String MAPPING = "mapping";
        public static final String PRECISION = "precision";
        public static final String PARAMETER_COUNT = "parameterCount";
        public static final String PARAMETERS = "parameters";
        public static final String LAYERS = "layers";
        public static final String FORWARD = "forward";
        public static final String BACKWARD = "backward";
        public static final String LOSS = "loss";
        public static final String OUTPUT_STEPS = "outputSteps";
        public static final String TO_STRING = "toString";

        // The sequence pass
        public static final String RESERVE = "reserve";
        public static final String UNROLL = "unroll";
        public static final String ADVANCE = "advance";
        public static final String BACKPROPAGATE = "backpropagate";
        public static final String PREDICT = "predict";
        public static final String LOSS_AND_DELTA = "lossAndDelta";
        public static final String SUMMARISE = "summarise";
        public static final String OUTPUT_LOGITS = "outputLogits";
        public static final String OUTPUT_GRADIENTS = "outputGradients";

        // Streaming, carried state, encoders and decoders
        public static final String RESET_STATE = "resetState";
        public static final String STEP = "step";
        public static final String CARRY_STATE = "carryState";
        public static final String SET_STATEFUL = "setStateful";
        public static final String IS_STATEFUL = "isStateful";
        public static final String STATE_SIZE = "stateSize";
        public static final String SAVE_STATE = "saveState";
        public static final String RESTORE_STATE = "restoreState";
        public static final String FINAL_STATE = "finalState";
        public static final String INITIAL_STATE_GRADIENT = "initialStateGradient";
        public static final String BACKWARD_FROM_STATE = "backwardFromState";
        public static final String BACKPROPAGATE_FROM_STATE = "backpropagateFromState";
        public static final String SET_INITIAL_STATES = "setInitialStates";
        public static final String INITIAL_STATE_GRADIENTS = "initialStateGradients";
        public static final String FINAL_STATES = "finalStates";
        public static final String BACKWARD_FROM_STATES = "backwardFromStates";
        public static final String STREAM_COUNT = "streamCount";
        public static final String SAVE_STATES = "saveStates";
        public static final String RESTORE_STATES = "restoreStates";
        public static final String BATCH_CARRY_STREAMS = "batchCarryStreams";
        public static final String BATCH_BACKPROPAGATE_FROM_STATES = "batchBackpropagateFromStates";

        // The context
        public static final String SET_CONTEXT = "setContext";
        public static final String CONTEXT_SIZE = "contextSize";
        public static final String SET_CONTEXTS = "setContexts";
        public static final String BATCH_CONTEXT_BIASES = "batchContextBiases";

        // Feeding the output back
        public static final String FEED_TARGETS = "feedTargets";
        public static final String FEED_LABELS = "feedLabels";
        public static final String FEEDBACK_GRADIENTS = "feedbackGradients";
        public static final String FEED_BACK = "feedBack";
        public static final String KEEP_PREDICTION = "keepPrediction";
        public static final String SET_SCHEDULED_SAMPLING = "setScheduledSampling";
        public static final String SAMPLE_FEEDS = "sampleFeeds";

        // Gradient diagnostics
        public static final String TRACE_STATE_GRADIENTS = "traceStateGradients";
        public static final String STATE_GRADIENT_NORMS = "stateGradientNorms";
        public static final String FORGET_GATES = "forgetGates";
        public static final String CELL_STATE_GRADIENT_NORMS = "cellStateGradientNorms";

        // The batched pass
        public static final String BATCH_RESERVE = "batchReserve";
        public static final String BATCH_GATHER_INPUTS = "batchGatherInputs";
        public static final String BATCH_UNROLL = "batchUnroll";
        public static final String BATCH_BACKPROPAGATE = "batchBackpropagate";
        public static final String BATCH_OUTPUT_LOGITS = "batchOutputLogits";
        public static final String BATCH_OUTPUT_GRADIENTS = "batchOutputGradients";
        public static final String BATCH_PREDICT = "batchPredict";
        public static final String BATCH_LOSS_AND_DELTA = "batchLossAndDelta";

        // Dropout in training
        public static final String DRAW_MASKS = "drawMasks";
        public static final String BEGIN_DROPOUT = "beginDropout";
        public static final String BATCH_BEGIN_DROPOUT = "batchBeginDropout";
        public static final String END_DROPOUT = "endDropout";
    }

    /**
     * The names the private methods without arguments would like: a layer's accessor takes no
     * arguments either and keeps the user's name, so the planner claims these after the accessors
     * ({@link NetworkPlan.Helpers}) and the emitters write the names the plan holds.
     */
    public static final class Helper {
        private Helper() {}

        public static final String RESTORE_CARRIED_STATE = "restoreCarriedState";
        public static final String FEED_STEP = "feedStep";
        public static final String BATCH_RESERVE_INPUTS = "batchReserveInputs";
        public static final String CONTEXT_BIASES = "contextBiases";
    }

    /**
     * The local variables and parameters the emitters give the generated methods (a cell's
     * equations declare their own: {@code CellKind.locals()}). A field of the same name would be
     * hidden by them where the code means the field, so no field named after a layer takes one
     * (LayerNamesTest finds any this list misses).
     */
    private static final List<String> LOCALS = List.of(
            "batch", "bias", "cell", "chosen", "delta", "deltas", "difference", "direction", "fed", "from", "gate",
            "gradient", "inputRow", "into", "keep", "label", "labels", "lanes", "layer", "logSumExp", "loss", "o",
            "offset", "on", "p", "previous", "previousCell", "probability", "product", "random", "reversePrevious",
            "recurrentInput", "reverseRow", "row", "seed", "sequence", "state", "stateful", "states", "steps", "sum", "summary",
            "summaryGradient", "sums", "t", "targetSum", "targets", "token", "tokens", "x", "xs", "y", "ys");

    /** Methods no generated method may overload by accident: Object's, and names earlier versions generated. */
    private static final List<String> RESERVED_METHODS = List.of("equals", "hashCode", "sigmoid", "logSumExp");

    /** Every constant's and field's name: a field named after a layer must take another. */
    public static List<String> fields() {
        List<String> names = new ArrayList<>(namesIn(Constant.class));
        names.addAll(namesIn(Field.class));
        return List.copyOf(names);
    }

    /** Every method's name, and those reserved: a method named after a layer must take another. */
    public static List<String> methods() {
        List<String> names = new ArrayList<>(namesIn(Method.class));
        names.addAll(RESERVED_METHODS);
        return List.copyOf(names);
    }

    /** The names of the generated methods' locals and parameters: no field named after a layer may take one. */
    public static List<String> locals() {
        return LOCALS;
    }

    /** The values of the {@code String} constants of {@code holder}. */
    private static List<String> namesIn(Class<?> holder) {
        List<String> names = new ArrayList<>();
        for (java.lang.reflect.Field field : holder.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }
}
