package dev.unfold.processor.declaration;

import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Precision;
import java.util.List;
import java.util.Set;

/**
 * Everything the processor needs to know about one {@code @Network} type, as the user wrote it,
 * valid or not. The validator decides what is wrong with it; the reader only records facts.
 *
 * @param anchor the annotated type
 * @param packageName the package of the type, empty for the unnamed package
 * @param nestingNames simple names from the outermost type down to this one
 * @param kind what kind of type carries the annotation
 * @param isGeneric whether the type declares type parameters
 * @param isPrivate whether the type, or a type enclosing it, is private
 * @param extendsSequenceModel whether it is a {@link RuntimeTypes#SEQUENCE_MODEL SequenceModel}
 * @param precision what {@code @Network(precision = ...)} asks the network to compute in
 * @param capabilities the capabilities the type extends, directly or through another interface (an
 *     {@code Encoder} or {@code Decoder} is {@code Streaming} too)
 * @param layerMethods the methods declared in the type that are, or look meant to be, layers, in
 *     declaration order
 * @param otherAbstractMethods abstract methods that are neither layers nor {@code SequenceModel}'s
 * @param encoder the type named by {@code @DecodesFrom}, or null when the annotation is absent
 * @param unresolvedTypes the types the declaration names (supertypes, return and parameter types)
 *     that the compiler could not resolve, as written, sorted; often ones another processor has
 *     yet to generate
 */
public record NetworkDeclaration(
        Anchor anchor,
        String packageName,
        List<String> nestingNames,
        TypeKind kind,
        boolean isGeneric,
        boolean isPrivate,
        boolean extendsSequenceModel,
        Located<Integer> input,
        Located<Integer> output,
        Located<Loss> loss,
        Located<Mapping> mapping,
        Located<Integer> context,
        Located<Precision> precision,
        Set<Capability> capabilities,
        List<LayerMethod> layerMethods,
        List<OtherMethod> otherAbstractMethods,
        Encoder encoder,
        List<String> unresolvedTypes) {

    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /** The kinds of type {@code @Network} can be written on. */
    public enum TypeKind { INTERFACE, CLASS, ENUM, RECORD, ANNOTATION }

    /** The type's name as written in code, {@code Outer.Inner} for a nested type. */
    public String simpleName() {
        return String.join(".", nestingNames);
    }

    /**
     * The encoder a decoder starts from, as far as its state goes.
     *
     * @param anchor the {@code @DecodesFrom} value, where mismatches are reported
     * @param name the type's name as written in code ({@code int}, {@code Net[]} for types that
     *     are no class or interface); null for an unresolved one the compiler gives no name
     * @param resolved whether the compiler resolved the type: an unresolved one may be generated
     *     in a later round, or be a mistake the compiler reports
     * @param isNetwork whether it is a class or interface carrying {@code @Network}
     * @param layers its layer methods, in declaration order; empty when it is no class or interface
     */
    public record Encoder(Anchor anchor, String name, boolean resolved, boolean isNetwork, List<LayerMethod> layers) {}

    /** An abstract method the generated class could not implement. */
    public record OtherMethod(String signature, Anchor anchor) {}
}
