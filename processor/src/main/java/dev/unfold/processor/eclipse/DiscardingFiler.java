package dev.unfold.processor.eclipse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;

/**
 * A Filer for a check, not a build: whatever the processor writes is thrown away, so nothing is
 * written and nothing generated is compiled. ECJ's own Filer would also refuse the generated class
 * as a type that exists already, since the last build's class is on the class path. Reading a
 * resource is left to the compiler's Filer.
 */
final class DiscardingFiler implements Filer {
    private final Filer compilers;

    DiscardingFiler(Filer compilers) {
        this.compilers = compilers;
    }

    @Override
    public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements) {
        return new Discarded(name, JavaFileObject.Kind.SOURCE);
    }

    @Override
    public JavaFileObject createClassFile(CharSequence name, Element... originatingElements) {
        return new Discarded(name, JavaFileObject.Kind.CLASS);
    }

    @Override
    public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPackage,
            CharSequence relativeName, Element... originatingElements) {
        return new Discarded(moduleAndPackage + "." + relativeName, JavaFileObject.Kind.OTHER);
    }

    @Override
    public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPackage,
            CharSequence relativeName) throws IOException {
        return compilers.getResource(location, moduleAndPackage, relativeName);
    }

    /** A file that takes everything written to it and keeps none of it. */
    private static final class Discarded extends SimpleJavaFileObject {
        Discarded(CharSequence name, Kind kind) {
            super(URI.create("discarded:/" + name.toString().replace('.', '/') + kind.extension), kind);
        }

        @Override
        public OutputStream openOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public Writer openWriter() {
            return Writer.nullWriter();
        }

        @Override
        public InputStream openInputStream() throws IOException {
            throw new IOException(toUri() + " was discarded: a check writes nothing");
        }

        @Override
        public Reader openReader(boolean ignoreEncodingErrors) throws IOException {
            throw new IOException(toUri() + " was discarded: a check writes nothing");
        }
    }
}
