package dev.unfold.processor.declaration;

import com.palantir.javapoet.ClassName;

/**
 * What a network can do beyond {@code SequenceModel}, declared by extending the runtime interface of
 * the same name. The generated class implements exactly the declared ones, so a network never has a
 * method it could only refuse; the validator checks each against the declaration.
 */
public enum Capability {
    /** Runs step by step and carries its state across calls. */
    STREAMING(RuntimeTypes.STREAMING),
    /** Hands on its final state and learns from the gradient it receives; streams too. */
    ENCODER(RuntimeTypes.ENCODER),
    /** Starts from given states and reports their gradient; streams too. */
    DECODER(RuntimeTypes.DECODER),
    /** Reads a context vector at every step: {@code @Network(context = C)}. */
    CONTEXTUAL(RuntimeTypes.CONTEXTUAL),
    /** Reads its previous output, and so can be trained by scheduled sampling; streams too. */
    AUTOREGRESSIVE(RuntimeTypes.AUTOREGRESSIVE),
    /** Records the gradient each state receives, on request. */
    TRACEABLE(RuntimeTypes.TRACEABLE),
    /** Takes class labels: {@code loss = CROSS_ENTROPY}. */
    CLASSIFIER(RuntimeTypes.CLASSIFIER);

    private final ClassName type;

    Capability(ClassName type) {
        this.type = type;
    }

    /** The runtime interface a network extends to declare it. */
    public ClassName type() {
        return type;
    }

    /** The interface's simple name, as a user writes it in the extends clause. */
    public String simpleName() {
        return type.simpleName();
    }
}
