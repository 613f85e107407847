package dev.unfold.processor;

import dev.unfold.processor.declaration.Anchor;
import dev.unfold.processor.validate.Problem;
import java.util.Objects;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * The one place that prints Unfold's messages. Each lands on the element, annotation and value
 * its {@link Anchor} names (the interface, a method, or an annotation value on them), so the IDE
 * marks the exact place that is wrong.
 */
final class ErrorReporter {
    private final Messager messager;

    ErrorReporter(Messager messager) {
        this.messager = messager;
    }

    void report(Problem problem) {
        Anchor anchor = problem.anchor();
        // Eclipse shows a marker only for a message on an element of the code being compiled;
        // one without an element would reach only its error log.
        Objects.requireNonNull(anchor.element(), () -> "no element to report at: " + problem.text());
        if (anchor.annotation() == null) {
            messager.printMessage(Diagnostic.Kind.ERROR, problem.text(), anchor.element());
        } else if (anchor.value() == null) {
            messager.printMessage(Diagnostic.Kind.ERROR, problem.text(), anchor.element(), anchor.annotation());
        } else {
            messager.printMessage(Diagnostic.Kind.ERROR, problem.text(), anchor.element(), anchor.annotation(),
                    anchor.value());
        }
    }

    /** An unexpected failure inside the processor: an error at the interface, never a compiler crash. */
    void internalError(Element network, Throwable failure) {
        String where = "";
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.unfold.")) {
                where = " at " + frame; // the first frame of ours says more than a library's
                break;
            }
        }
        report(new Problem("UnfoldInternalError", "Unfold could not compile this network: " + failure
                + where + ". This is a bug in Unfold; please report it together with this interface",
                Anchor.at(network)));
    }
}
