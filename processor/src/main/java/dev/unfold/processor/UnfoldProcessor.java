package dev.unfold.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.TypeSpec;
import dev.unfold.DecodesFrom;
import dev.unfold.Network;
import dev.unfold.processor.declaration.Anchor;
import dev.unfold.processor.declaration.DeclarationReader;
import dev.unfold.processor.declaration.NetworkDeclaration;
import dev.unfold.processor.declaration.RuntimeTypes;
import dev.unfold.processor.emit.NetworkEmitter;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.Planner;
import dev.unfold.processor.validate.DeclarationValidator;
import dev.unfold.processor.validate.EncoderCheck;
import dev.unfold.processor.validate.Problem;
import dev.unfold.processor.validate.Unresolved;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * a declaration with errors generates nothing. A declaration that names something unresolved
 * waits for the next round, and is reported once, in the last round, if it never resolves.
 *
 * <p>One instance serves one compilation: it keeps the waiting networks and the names written.
 */
@AutoService(Processor.class)
public final class UnfoldProcessor extends AbstractProcessor {
    private final Function<NetworkPlan, TypeSpec.Builder> emitter;
    /** Networks that named something unresolved, by qualified name, to try again next round. */
    private final Set<String> waiting = new LinkedHashSet<>();
    /** Generated class → the interface it was written for, in this compilation: none is written twice. */
    private final Map<String, String> written = new HashMap<>();

    public UnfoldProcessor() {
        this(plan -> new NetworkEmitter(plan).emit());
    }

    /** For tests: a processor whose emit stage is replaced, to exercise the failure paths. */
    UnfoldProcessor(Function<NetworkPlan, TypeSpec.Builder> emitter) {
        this.emitter = emitter;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(Network.class.getCanonicalName(), DecodesFrom.class.getCanonicalName());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        ErrorReporter reporter = new ErrorReporter(processingEnv.getMessager());
        DeclarationReader reader = new DeclarationReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
        List<TypeElement> networks = waitingNetworks();
        for (Element element : round.getElementsAnnotatedWith(Network.class)) {
            if (element instanceof TypeElement type) {
                networks.add(type); // @Target(TYPE) makes the compiler reject anything else
            }
        }
        for (Element element : round.getElementsAnnotatedWith(DecodesFrom.class)) {
            if (element instanceof TypeElement type) {
                reader.decodesFromWithoutNetwork(type).ifPresent(anchor ->
                        reporter.report(EncoderCheck.withoutNetwork(type.getSimpleName().toString(), anchor)));
            }
        }
        for (TypeElement type : networks) {
            if (!reader.runtimeOnClasspath()) {
                reporter.report(new Problem("UnfoldMissingRuntime", RuntimeTypes.SEQUENCE_MODEL.canonicalName()
                        + " is not on the compile path: add the dev.unfold:unfold-runtime dependency", Anchor.at(type)));
                continue;
            }
            try {
                compile(type, reader, reporter, round.processingOver());
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError failure) {
                reporter.internalError(type, failure);
            }
        }
        return false;
    }

    /**
     * The networks put off in earlier rounds, looked up afresh: an element from an earlier round
     * may be stale, so they are kept by name.
     */
    private List<TypeElement> waitingNetworks() {
        List<TypeElement> networks = new ArrayList<>();
        for (String name : waiting) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type != null) {
                networks.add(type);
            }
        }
        waiting.clear();
        return networks;
    }

    private void compile(TypeElement type, DeclarationReader reader, ErrorReporter reporter, boolean lastRound) {
        NetworkDeclaration declaration = reader.read(type);
        Optional<Problem> unresolved = Unresolved.find(declaration);
        if (unresolved.isPresent()) {
            if (lastRound) {
                reporter.report(unresolved.get()); // once: it will never resolve now
            } else {
                waiting.add(type.getQualifiedName().toString()); // perhaps a later round generates it
            }
            return;
        }
        List<Problem> problems = new DeclarationValidator().validate(declaration);
        if (!problems.isEmpty()) {
            problems.forEach(reporter::report);
            return;
        }
        NetworkPlan plan = new Planner().plan(declaration);
        String network = type.getQualifiedName().toString();
        String earlier = written.putIfAbsent(plan.qualifiedClassName(), network);
        if (earlier != null) {
            // Eclipse's Filer throws on a second file of the same name; javac's does too
            if (!earlier.equals(network)) {
                reporter.report(nameClaimed(plan, earlier, "", type));
            }
            return;
        }
        Optional<String> owner = EarlierOwner.of(processingEnv.getElementUtils(), plan.qualifiedClassName(), type);
        if (owner.isPresent()) {
            written.remove(plan.qualifiedClassName()); // not written: the owner may still write it in this build
            reporter.report(nameClaimed(plan, owner.get(), " (or, if " + owner.get()
                    + " is gone, clean the build: its class is left over)", type));
            return;
        }
        try {
            new GeneratedSourceWriter(processingEnv.getFiler()).write(plan, emitter.apply(plan));
        } catch (IOException failure) {
            reporter.report(new Problem("UnfoldCannotWrite", "could not write " + plan.className() + ": "
                    + failure.getMessage() + "; if a type of that name already exists in the package, rename it."
                    + " Outside Eclipse, ECJ also refuses when an old " + plan.className() + ".class is on the"
                    + " class path: clean the build",
                    Anchor.at(type)));
        }
    }

    /** {@code type}'s class cannot be written: {@code other}, another interface, generates the same name. */
    private static Problem nameClaimed(NetworkPlan plan, String other, String remedy, TypeElement type) {
        return new Problem("UnfoldCannotWrite", "could not write " + plan.className() + ": " + other
                + " generates a class of that name too; rename one of the two interfaces" + remedy, Anchor.at(type));
    }
}
