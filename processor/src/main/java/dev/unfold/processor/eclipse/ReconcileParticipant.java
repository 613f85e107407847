package dev.unfold.processor.eclipse;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.core.runtime.ILog;
import org.eclipse.jdt.core.ICompilationUnit;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.compiler.CategorizedProblem;
import org.eclipse.jdt.core.compiler.CompilationParticipant;
import org.eclipse.jdt.core.compiler.ReconcileContext;

/**
 * Shows Unfold's declaration errors while the user types in Eclipse. JDT runs JSR 269 processors
 * only in builds, never in the editor's reconcile; this participant (contributed by plugin.xml to
 * {@code org.eclipse.jdt.core.compilationParticipant}, loaded only by Eclipse) runs Unfold's
 * processor over the unsaved text of a unit that declares a {@code @Network}, writing nothing in
 * the workspace, and hands the processor's errors to the editor as reconcile problems.
 *
 * <p>It is active only in projects with annotation processing on, processing during reconcile on
 * (JDT APT's setting, on by default) and Unfold on the factory path, and it never throws into the
 * reconciler: a failure is logged once (an error in the Error Log) and the editor goes on without
 * Unfold's problems.
 */
public final class ReconcileParticipant extends CompilationParticipant {
    /** The key under which the problems are put (a marker type plugin.xml declares; no marker is ever made). */
    static final String MARKER_TYPE = "dev.unfold.processor.problem";
    /** A {@code @Network} annotation, simple or qualified: nothing else is worth a compilation. */
    private static final Pattern NETWORK = Pattern.compile("@\\s*(?:[\\w$]+\\s*\\.\\s*)*Network\\b");
    /** One entry in the error log is enough: the same failure would repeat on every keystroke. */
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    @Override
    public boolean isActive(IJavaProject project) {
        try {
            return UnfoldInProject.processesWhileTyping(project);
        } catch (RuntimeException | LinkageError e) {
            logOnce(e);
            return false;
        }
    }

    @Override
    public void reconcile(ReconcileContext context) {
        try {
            ICompilationUnit unit = context.getWorkingCopy();
            String text = unit.getSource();
            if (text == null || !NETWORK.matcher(text).find() || !UnfoldInProject.onFactoryPath(unit.getJavaProject())) {
                return;
            }
            List<CategorizedProblem> problems = new WorkingCopyCompilation(unit, text).unfoldErrors();
            context.putProblems(MARKER_TYPE, problems.isEmpty() ? null : problems.toArray(CategorizedProblem[]::new));
        } catch (Exception | LinkageError e) {
            logOnce(e);
        }
    }

    private void logOnce(Throwable failure) {
        if (failureLogged.compareAndSet(false, true)) {
            ILog.of(ReconcileParticipant.class).error("Unfold could not check a declaration while typing;"
                    + " its errors still appear when the file is saved and built", failure);
        }
    }
}
