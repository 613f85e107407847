package dev.unfold.processor.declaration;

import dev.unfold.Activation;
import dev.unfold.Bidirectional;
import dev.unfold.Cell;
import dev.unfold.DecodesFrom;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Network;
import dev.unfold.Precision;
import dev.unfold.Biases;
import dev.unfold.Recurrence;
import dev.unfold.Recurrent;
import dev.unfold.processor.declaration.NetworkDeclaration.OtherMethod;
import dev.unfold.processor.declaration.NetworkDeclaration.TypeKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads a {@code @Network} type into a {@link NetworkDeclaration}. This is the only class that
 * looks at {@code javax.lang.model}; it records what it finds and judges nothing.
 */
public final class DeclarationReader {
    private static final String SEQUENCE_MODEL = RuntimeTypes.SEQUENCE_MODEL.canonicalName();
    private static final String LAYER = RuntimeTypes.LAYER.canonicalName();

    private final Elements elements;
    private final Types types;

    public DeclarationReader(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    /** Whether the runtime's types can be seen: without them nothing can be read or generated. */
    public boolean runtimeOnClasspath() {
        return elements.getTypeElement(SEQUENCE_MODEL) != null && elements.getTypeElement(LAYER) != null;
    }

    public NetworkDeclaration read(TypeElement type) {
        Anchor network = new Anchor(type, annotation(type, Network.class).orElseThrow(), null);
        TypeElement sequenceModel = elements.getTypeElement(SEQUENCE_MODEL);
        return new NetworkDeclaration(
                Anchor.at(type),
                packageOf(type),
                nestingNames(type),
                kindOf(type),
                !type.getTypeParameters().isEmpty(),
                isPrivateOrInsidePrivate(type),
                types.isAssignable(types.erasure(type.asType()), sequenceModel.asType()),
                readInt(network, "input"),
                readInt(network, "output"),
                readEnum(network, "loss", Loss.class),
                readEnum(network, "mapping", Mapping.class),
                readInt(network, "context"),
                readEnum(network, "precision", Precision.class),
                capabilities(type),
                layerMethods(type),
                otherAbstractMethods(type, sequenceModel),
                encoder(type),
                unresolvedTypes(type));
    }

    /** The runtime's capability interfaces that the compile path has. */
    private List<TypeElement> capabilityTypes() {
        List<TypeElement> found = new ArrayList<>();
        for (Capability capability : Capability.values()) {
            TypeElement runtime = elements.getTypeElement(capability.type().canonicalName());
            if (runtime != null) {
                found.add(runtime);
            }
        }
        return found;
    }

    /** The capabilities the type is a subtype of: declared in its extends clause or inherited. */
    private Set<Capability> capabilities(TypeElement type) {
        Set<Capability> declared = EnumSet.noneOf(Capability.class);
        TypeMirror erased = types.erasure(type.asType());
        for (Capability capability : Capability.values()) {
            TypeElement runtime = elements.getTypeElement(capability.type().canonicalName());
            if (runtime != null && types.isAssignable(erased, types.erasure(runtime.asType()))) {
                declared.add(capability);
            }
        }
        return Collections.unmodifiableSet(declared);
    }

    /**
     * The type {@code @DecodesFrom} names, with its layers if it is a type with methods; null
     * without the annotation. A class literal the compiler could not resolve is recorded as
     * unresolved: javac hands it over as an error type or, for a class literal, not as a type at all.
     */
    private NetworkDeclaration.Encoder encoder(TypeElement type) {
        Optional<AnnotationMirror> decodesFrom = annotation(type, DecodesFrom.class);
        if (decodesFrom.isEmpty()) {
            return null;
        }
        Anchor anchor = anchorFor(new Anchor(type, decodesFrom.get(), null), "value");
        AnnotationValue value = value(decodesFrom.get(), "value");
        Object named = value == null ? null : value.getValue();
        if (!(named instanceof TypeMirror mirror) || mirror.getKind() == javax.lang.model.type.TypeKind.ERROR) {
            String written = named instanceof TypeMirror mirror ? mirror.toString() : null; // javac: no name
            return new NetworkDeclaration.Encoder(anchor, written, false, false, List.of());
        }
        if (mirror instanceof DeclaredType declared && declared.asElement() instanceof TypeElement encoder) {
            return new NetworkDeclaration.Encoder(anchor, String.join(".", nestingNames(encoder)), true,
                    annotation(encoder, Network.class).isPresent(), layerMethods(encoder));
        }
        return new NetworkDeclaration.Encoder(anchor, mirror.toString(), true, false, List.of()); // int, Net[]
    }

    /**
     * {@code @DecodesFrom} on a type without {@code @Network}: the place to report it, or empty
     * when the type has both annotations, or neither.
     */
    public Optional<Anchor> decodesFromWithoutNetwork(TypeElement type) {
        if (annotation(type, Network.class).isPresent()) {
            return Optional.empty();
        }
        return annotation(type, DecodesFrom.class).map(decodesFrom -> new Anchor(type, decodesFrom, null));
    }

    /** Names of the error types among the type's supertypes and its methods' signatures. */
    private static List<String> unresolvedTypes(TypeElement type) {
        Set<String> names = new TreeSet<>();
        type.getInterfaces().forEach(supertype -> collectErrors(supertype, names));
        collectErrors(type.getSuperclass(), names);
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            collectErrors(method.getReturnType(), names);
            method.getParameters().forEach(parameter -> collectErrors(parameter.asType(), names));
        }
        return List.copyOf(names);
    }

    private static void collectErrors(TypeMirror type, Set<String> names) {
        switch (type.getKind()) {
            case ERROR -> names.add(type.toString());
            case ARRAY -> collectErrors(((ArrayType) type).getComponentType(), names);
            case DECLARED -> ((DeclaredType) type).getTypeArguments().forEach(argument -> collectErrors(argument, names));
            default -> { }
        }
    }

    private List<LayerMethod> layerMethods(TypeElement type) {
        TypeMirror layer = elements.getTypeElement(LAYER).asType();
        List<ExecutableElement> inherited = inheritedMethods(type);
        List<LayerMethod> layers = new ArrayList<>();
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            Optional<AnnotationMirror> recurrent = annotation(method, Recurrent.class);
            Optional<AnnotationMirror> bidirectional = annotation(method, Bidirectional.class);
            boolean isAbstract = method.getModifiers().contains(Modifier.ABSTRACT);
            boolean returnsLayer = types.isSameType(method.getReturnType(), layer);
            if (recurrent.isEmpty() && bidirectional.isEmpty() && !(isAbstract && returnsLayer)) {
                continue;
            }
            layers.add(new LayerMethod(
                    method.getSimpleName().toString(),
                    Anchor.at(method),
                    recurrent.map(mirror -> readRecurrent(new Anchor(method, mirror, null))).orElse(null),
                    bidirectional.map(mirror -> new Anchor(method, mirror, null)).orElse(null),
                    method.getParameters().size(),
                    !method.getTypeParameters().isEmpty(),
                    isAbstract,
                    returnsLayer,
                    method.getReturnType().toString(),
                    namesakes(method, inherited)));
        }
        return layers;
    }

    /**
     * Every method the type inherits: from its superinterfaces (SequenceModel's among them) and
     * from java.lang.Object, which every class the processor generates extends. Read from the
     * supertypes themselves, since a method the type redeclares hides the one it inherits.
     */
    private List<ExecutableElement> inheritedMethods(TypeElement type) {
        Set<ExecutableElement> inherited = new LinkedHashSet<>();
        for (TypeMirror supertype : type.getInterfaces()) {
            if (supertype instanceof DeclaredType declared && declared.asElement() instanceof TypeElement owner) {
                inherited.addAll(ElementFilter.methodsIn(elements.getAllMembers(owner)));
            }
        }
        inherited.addAll(ElementFilter.methodsIn(elements.getAllMembers(elements.getTypeElement("java.lang.Object"))));
        return List.copyOf(inherited);
    }

    /** The inherited methods a layer method would override: same name, no parameters, not static or private. */
    private List<LayerMethod.Namesake> namesakes(ExecutableElement method, List<ExecutableElement> inherited) {
        if (!method.getParameters().isEmpty()) {
            return List.of(); // an overload of whatever shares its name
        }
        TypeMirror layer = elements.getTypeElement(LAYER).asType();
        TypeMirror sequenceModel = types.erasure(elements.getTypeElement(SEQUENCE_MODEL).asType());
        List<LayerMethod.Namesake> namesakes = new ArrayList<>();
        for (ExecutableElement candidate : inherited) {
            Set<Modifier> modifiers = candidate.getModifiers();
            if (!candidate.getSimpleName().contentEquals(method.getSimpleName()) || !candidate.getParameters().isEmpty()
                    || modifiers.contains(Modifier.STATIC) || modifiers.contains(Modifier.PRIVATE)) {
                continue;
            }
            TypeElement owner = (TypeElement) candidate.getEnclosingElement();
            boolean ofObject = owner.getQualifiedName().contentEquals("java.lang.Object");
            namesakes.add(new LayerMethod.Namesake(
                    owner.getQualifiedName() + "." + candidate.getSimpleName() + "()",
                    candidate.getReturnType().toString(),
                    modifiers.contains(Modifier.FINAL),
                    !ofObject && (types.isAssignable(sequenceModel, types.erasure(owner.asType()))
                            || capabilityTypes().contains(owner)),
                    types.isAssignable(layer, candidate.getReturnType())));
        }
        return namesakes;
    }

    /**
     * Abstract methods, declared here or inherited, that the generated class has no way to
     * implement: everything but this type's own layer candidates and {@code SequenceModel}'s methods.
     */
    private List<OtherMethod> otherAbstractMethods(TypeElement type, TypeElement sequenceModel) {
        List<ExecutableElement> all = ElementFilter.methodsIn(elements.getAllMembers(type));
        List<ExecutableElement> contract = new ArrayList<>(ElementFilter.methodsIn(elements.getAllMembers(sequenceModel)));
        for (TypeElement capability : capabilityTypes()) {
            contract.addAll(ElementFilter.methodsIn(elements.getAllMembers(capability)));
        }
        List<OtherMethod> others = new ArrayList<>();
        TypeMirror layer = elements.getTypeElement(LAYER).asType();
        for (ExecutableElement method : all) {
            if (!method.getModifiers().contains(Modifier.ABSTRACT)) {
                continue;
            }
            boolean declaredHere = method.getEnclosingElement().equals(type);
            if (declaredHere && (annotation(method, Recurrent.class).isPresent()
                    || annotation(method, Bidirectional.class).isPresent()
                    || types.isSameType(method.getReturnType(), layer))) {
                continue; // a layer candidate: judged with the layers
            }
            if (implementedBy(method, contract, type) || overridesObjectMethod(method)
                    || implementedByDefault(method, all, type)) {
                continue;
            }
            Anchor anchor = declaredHere ? Anchor.at(method) : Anchor.at(type);
            others.add(new OtherMethod(signature(method), anchor));
        }
        // getAllMembers lists inherited methods in an order javac and ECJ do not agree on
        others.sort(Comparator.comparing(OtherMethod::signature));
        return others;
    }

    private boolean implementedBy(ExecutableElement method, List<ExecutableElement> contract, TypeElement type) {
        for (ExecutableElement candidate : contract) {
            if (method.equals(candidate) || elements.overrides(method, candidate, type)) {
                return true;
            }
        }
        return false;
    }

    private boolean implementedByDefault(ExecutableElement method, List<ExecutableElement> all, TypeElement type) {
        for (ExecutableElement candidate : all) {
            if (candidate.isDefault() && elements.overrides(candidate, method, type)) {
                return true;
            }
        }
        return false;
    }

    /** equals, hashCode and toString redeclared abstractly are implemented by java.lang.Object. */
    private static boolean overridesObjectMethod(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        int parameters = method.getParameters().size();
        return (parameters == 0 && (name.equals("hashCode") || name.equals("toString")))
                || (parameters == 1 && name.equals("equals")
                        && method.getParameters().get(0).asType().toString().equals("java.lang.Object"));
    }

    private String signature(ExecutableElement method) {
        String parameters = method.getParameters().stream()
                .map(p -> types.erasure(p.asType()).toString())
                .collect(Collectors.joining(", "));
        String owner = ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
        return owner + "." + method.getSimpleName() + "(" + parameters + ")";
    }

    private LayerMethod.Recurrent readRecurrent(Anchor recurrent) {
        return new LayerMethod.Recurrent(readInt(recurrent, "hidden"),
                readEnum(recurrent, "activation", Activation.class), readEnum(recurrent, "cell", Cell.class),
                readEnum(recurrent, "recurrence", Recurrence.class), readInt(recurrent, "projection"),
                readEnum(recurrent, "biases", Biases.class), readDouble(recurrent, "dropout"),
                readDouble(recurrent, "recurrentDropout"));
    }

    private Located<Double> readDouble(Anchor anchor, String name) {
        AnnotationValue value = value(anchor.annotation(), name);
        Object raw = value == null ? null : value.getValue();
        return new Located<>(raw instanceof Number n ? n.doubleValue() : null, anchorFor(anchor, name));
    }

    private Located<Integer> readInt(Anchor anchor, String name) {
        AnnotationValue value = value(anchor.annotation(), name);
        Object raw = value == null ? null : value.getValue();
        return new Located<>(raw instanceof Integer i ? i : null, anchorFor(anchor, name));
    }

    private <E extends Enum<E>> Located<E> readEnum(Anchor anchor, String name, Class<E> type) {
        AnnotationValue value = value(anchor.annotation(), name);
        E constant = null;
        if (value != null && value.getValue() instanceof VariableElement variable) {
            try {
                constant = Enum.valueOf(type, variable.getSimpleName().toString());
            } catch (IllegalArgumentException unknownConstant) {
                constant = null; // the compiler reports the unknown constant itself
            }
        }
        return new Located<>(constant, anchorFor(anchor, name));
    }

    /** The value as written, so errors point at it; the annotation itself when a default applies. */
    private static Anchor anchorFor(Anchor anchor, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : anchor.annotation().getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return anchor.atValue(entry.getValue());
            }
        }
        return anchor;
    }

    private AnnotationValue value(AnnotationMirror annotation, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : elements.getElementValuesWithDefaults(annotation).entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Optional<AnnotationMirror> annotation(Element element, Class<?> annotationType) {
        String name = annotationType.getCanonicalName();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement annotation = (TypeElement) mirror.getAnnotationType().asElement();
            if (annotation.getQualifiedName().contentEquals(name)) {
                return Optional.of(mirror);
            }
        }
        return Optional.empty();
    }

    private static TypeKind kindOf(TypeElement type) {
        ElementKind kind = type.getKind();
        return switch (kind) {
            case INTERFACE -> TypeKind.INTERFACE;
            case ENUM -> TypeKind.ENUM;
            case ANNOTATION_TYPE -> TypeKind.ANNOTATION;
            default -> kind.name().equals("RECORD") ? TypeKind.RECORD : TypeKind.CLASS;
        };
    }

    private static boolean isPrivateOrInsidePrivate(TypeElement type) {
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> nestingNames(TypeElement type) {
        List<String> names = new ArrayList<>();
        for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
            names.add(e.getSimpleName().toString());
        }
        Collections.reverse(names);
        return names;
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }
}
