package dev.unfold.processor;

import dev.unfold.Network;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Which other interface a generated class already belongs to. Two interfaces can claim one name
 * ({@code app.Foo_Bar} and the nested {@code app.Foo.Bar} both give {@code UnfoldedFoo_Bar}). A
 * compilation that sees both reports it (the processor remembers what it wrote), but an
 * incremental build, as Eclipse runs on every save, hands the processor only the edited file:
 * the other interface's class is then already there, from an earlier build, and writing over it
 * would silently give the name to whichever file was saved last. A generated class implements
 * the interface it was generated for, which tells the owner.
 */
final class EarlierOwner {
    private EarlierOwner() {
    }

    /**
     * The {@code @Network} interface, other than {@code network}, that an existing class named
     * {@code generatedClass} implements, by qualified name; empty if there is no such class, or it
     * is {@code network}'s own.
     */
    static Optional<String> of(Elements elements, String generatedClass, TypeElement network) {
        TypeElement existing = elements.getTypeElement(generatedClass);
        if (existing == null) {
            return Optional.empty();
        }
        for (TypeMirror implemented : existing.getInterfaces()) {
            if (implemented instanceof DeclaredType declared && declared.asElement() instanceof TypeElement owner
                    && !owner.getQualifiedName().contentEquals(network.getQualifiedName()) && isNetwork(owner)) {
                return Optional.of(owner.getQualifiedName().toString());
            }
        }
        return Optional.empty();
    }

    private static boolean isNetwork(Element type) {
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            Element annotation = mirror.getAnnotationType().asElement();
            if (annotation instanceof TypeElement named
                    && named.getQualifiedName().contentEquals(Network.class.getCanonicalName())) {
                return true;
            }
        }
        return false;
    }
}
