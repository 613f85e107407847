package dev.unfold.processor.eclipse;

import dev.unfold.processor.UnfoldProcessor;
import java.io.IOException;
import org.eclipse.jdt.apt.core.internal.util.FactoryContainer;
import org.eclipse.jdt.apt.core.internal.util.FactoryPath;
import org.eclipse.jdt.apt.core.util.AptConfig;
import org.eclipse.jdt.core.IJavaProject;

/**
 * Whether a project runs Unfold while the user types, as JDT APT's settings say: annotation
 * processing on, processing during reconcile on (two cheap preference look-ups), and an enabled
 * entry of the factory path (the processor jar, or this plug-in) that offers Unfold's processor
 * (which reads the factory path, so it is asked only of units that declare a network).
 */
final class UnfoldInProject {
    private static final String PROCESSOR = UnfoldProcessor.class.getName();

    private UnfoldInProject() {
    }

    static boolean processesWhileTyping(IJavaProject project) {
        return AptConfig.isEnabled(project) && AptConfig.shouldProcessDuringReconcile(project);
    }

    static boolean onFactoryPath(IJavaProject project) {
        // IFactoryPath, the public interface, cannot be read; FactoryPath is what AptConfig returns
        if (!(AptConfig.getFactoryPath(project) instanceof FactoryPath path)) {
            return false;
        }
        for (FactoryContainer container : path.getEnabledContainers().keySet()) {
            try {
                if (container.getFactoryNames().containsKey(PROCESSOR)) {
                    return true;
                }
            } catch (IOException unreadableJar) {
                // APT reports an unreadable factory path entry itself; this one offers nothing
            }
        }
        return false;
    }
}
