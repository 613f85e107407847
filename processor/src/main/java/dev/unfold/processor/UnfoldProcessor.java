package dev.unfold.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.TypeSpec;
import dev.unfold.Network;
import dev.unfold.processor.declaration.Anchor;
import dev.unfold.processor.declaration.DeclarationReader;
import dev.unfold.processor.declaration.NetworkDeclaration;
import dev.unfold.processor.emit.NetworkEmitter;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Planner;
import dev.unfold.processor.validate.DeclarationValidator;
import dev.unfold.processor.validate.Problem;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Unfold's annotation processor: for each {@code @Network} interface, read → validate → plan →
 * emit. Each interface is handled on its own, so one bad declaration never stops the others, and
 * a declaration with errors generates nothing.
 */
@AutoService(Processor.class)
public final class UnfoldProcessor extends AbstractProcessor {
    private final Function<NetworkPlan, TypeSpec.Builder> emitter;

    public UnfoldProcessor() {
        this(plan -> new NetworkEmitter(plan).emit());
    }

    /** For tests: a processor whose emit stage is replaced, to exercise the failure paths. */
    UnfoldProcessor(Function<NetworkPlan, TypeSpec.Builder> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(Network.class.getCanonicalName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        ErrorReporter reporter = new ErrorReporter(processingEnv.getMessager());
        DeclarationReader reader = new DeclarationReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
        for (Element element : round.getElementsAnnotatedWith(Network.class)) {
            if (!(element instanceof TypeElement type)) {
                continue; // @Target(TYPE) makes the compiler reject anything else
            }
            if (!reader.runtimeOnClasspath()) {
                reporter.report(new Problem("UnfoldMissingRuntime", "dev.unfold.runtime.SequenceModel is not on the"
                        + " compile path: add the dev.unfold:unfold-runtime dependency", Anchor.at(type)));
                continue;
            }
            try {
                compile(type, reader, reporter);
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError failure) {
                reporter.internalError(type, failure);
            }
        }
        return false;
    }

    private void compile(TypeElement type, DeclarationReader reader, ErrorReporter reporter) {
        NetworkDeclaration declaration = reader.read(type);
        if (!DeclarationValidator.isComplete(declaration)) {
            return; // a value did not resolve; the compiler has reported why
        }
        List<Problem> problems = new DeclarationValidator().validate(declaration);
        if (!problems.isEmpty()) {
            problems.forEach(reporter::report);
            return;
        }
        NetworkPlan plan = new Planner().plan(declaration);
        try {
            new GeneratedSourceWriter(processingEnv.getFiler()).write(plan, emitter.apply(plan));
        } catch (IOException failure) {
            reporter.report(new Problem("UnfoldCannotWrite", "could not write " + plan.className() + ": "
                    + failure.getMessage() + "; if a type of that name already exists in the package, rename it",
                    Anchor.at(type)));
        }
    }
}
