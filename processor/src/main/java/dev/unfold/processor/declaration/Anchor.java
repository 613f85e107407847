package dev.unfold.processor.declaration;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where in the user's source a fact came from: an element, and optionally the annotation and the
 * annotation value on it. Only the error reporter looks inside; the validator and the planner
 * carry it along, so they can be tested without a compiler ({@link #NOWHERE}).
 */
public record Anchor(Element element, AnnotationMirror annotation, AnnotationValue value) {

    /** An anchor for tests and for facts with no place in the source. */
    public static final Anchor NOWHERE = new Anchor(null, null, null);

    public static Anchor at(Element element) {
        return new Anchor(element, null, null);
    }

    /** The same element and annotation, pointing at one of the annotation's values. */
    public Anchor atValue(AnnotationValue annotationValue) {
        return new Anchor(element, annotation, annotationValue);
    }
}
