package dev.unfold.processor.eclipse;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** A processor as it is, except that it runs with a {@link DiscardingFiler}: it checks, and writes nothing. */
final class WritesNothing implements Processor {
    private final Processor processor;

    WritesNothing(Processor processor) {
        this.processor = processor;
    }

    @Override
    public void init(ProcessingEnvironment environment) {
        processor.init(new Environment(environment));
    }

    @Override
    public Set<String> getSupportedOptions() {
        return processor.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return processor.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return processor.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return processor.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
            ExecutableElement member, String userText) {
        return processor.getCompletions(element, annotation, member, userText);
    }

    /** The compiler's environment, with the discarding Filer. */
    private static final class Environment implements ProcessingEnvironment {
        private final ProcessingEnvironment compilers;
        private final Filer filer;

        Environment(ProcessingEnvironment compilers) {
            this.compilers = compilers;
            this.filer = new DiscardingFiler(compilers.getFiler());
        }

        @Override
        public Filer getFiler() {
            return filer;
        }

        @Override
        public Map<String, String> getOptions() {
            return compilers.getOptions();
        }

        @Override
        public Messager getMessager() {
            return compilers.getMessager();
        }

        @Override
        public Elements getElementUtils() {
            return compilers.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return compilers.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return compilers.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return compilers.getLocale();
        }

        @Override
        public boolean isPreviewEnabled() {
            return compilers.isPreviewEnabled();
        }
    }
}
