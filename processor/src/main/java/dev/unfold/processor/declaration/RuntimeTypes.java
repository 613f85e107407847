package dev.unfold.processor.declaration;

import com.palantir.javapoet.ClassName;

/**
 * Every type of the runtime (module {@code unfold-runtime}) that the processor knows by name: what
 * a declaration extends and returns, and what the generated code calls. The processor never loads
 * these classes; it reads them from the compile path and names them in the code it writes. This is
 * the one place that spells their packages: moving a runtime class means changing its line here.
 * It lives with the declaration, the first stage, because every stage after it names them too.
 */
public final class RuntimeTypes {
    private static final String API = "dev.unfold.runtime";
    private static final String INTERNAL = "dev.unfold.runtime.internal";

    /** What every {@code @Network} interface extends. */
    public static final ClassName SEQUENCE_MODEL = ClassName.get(API, "SequenceModel");
    // the capabilities a network interface may also extend (see Capability)
    public static final ClassName STREAMING = ClassName.get(API, "Streaming");
    public static final ClassName ENCODER = ClassName.get(API, "Encoder");
    public static final ClassName DECODER = ClassName.get(API, "Decoder");
    public static final ClassName CONTEXTUAL = ClassName.get(API, "Contextual");
    public static final ClassName AUTOREGRESSIVE = ClassName.get(API, "Autoregressive");
    public static final ClassName TRACEABLE = ClassName.get(API, "Traceable");
    public static final ClassName CLASSIFIER = ClassName.get(API, "Classifier");
    /** What a network with a layer that declares dropout implements besides its interface. */
    public static final ClassName DROPOUT = ClassName.get(API, "Dropout");
    /** What a layer method returns. */
    public static final ClassName LAYER = ClassName.get(API, "Layer");
    public static final ClassName PARAMETER = ClassName.get(API, "Parameter");
    public static final ClassName PARAMETERS = ClassName.get(API, "Parameters");

    // what only generated code calls: the runtime's internal package
    public static final ClassName ACTIVATIONS = ClassName.get(INTERNAL, "Activations");
    public static final ClassName CONVERSIONS = ClassName.get(INTERNAL, "Conversions");
    public static final ClassName FLOAT_ACTIVATIONS = ClassName.get(INTERNAL, "FloatActivations");
    public static final ClassName BATCH_KERNELS = ClassName.get(INTERNAL, "BatchKernels");
    public static final ClassName BATCHES = ClassName.get(INTERNAL, "Batches");
    public static final ClassName CHECKS = ClassName.get(INTERNAL, "Checks");
    public static final ClassName DROPOUT_MASKS = ClassName.get(INTERNAL, "DropoutMasks");
    public static final ClassName KERNELS = ClassName.get(INTERNAL, "Kernels");
    public static final ClassName STATE_GRADIENT_TRACE = ClassName.get(INTERNAL, "StateGradientTrace");
    public static final ClassName WEIGHT_INIT = ClassName.get(INTERNAL, "WeightInit");

    private RuntimeTypes() {}
}
