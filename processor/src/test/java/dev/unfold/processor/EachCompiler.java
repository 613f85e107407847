package dev.unfold.processor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * A test that runs once under each {@link TestCompiler}, receiving it as a parameter: one test
 * definition, two compilers, as MapStruct tests its processor under javac and Eclipse.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EachCompiler.Invocations.class)
@interface EachCompiler {

    /** One invocation per compiler, named after it. */
    final class Invocations implements TestTemplateInvocationContextProvider {
        @Override
        public boolean supportsTestTemplate(ExtensionContext context) {
            return true;
        }

        @Override
        public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
            return Arrays.stream(TestCompiler.values()).map(Invocations::under);
        }

        private static TestTemplateInvocationContext under(TestCompiler compiler) {
            return new TestTemplateInvocationContext() {
                @Override
                public String getDisplayName(int invocationIndex) {
                    return compiler.toString();
                }

                @Override
                public List<Extension> getAdditionalExtensions() {
                    return List.of(new ParameterResolver() {
                        @Override
                        public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
                            return parameter.getParameter().getType() == TestCompiler.class;
                        }

                        @Override
                        public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
                            return compiler;
                        }
                    });
                }
            };
        }
    }
}
