package dev.unfold.processor.eclipse;

import java.io.File;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRoot;
import org.eclipse.core.runtime.IPath;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.JavaModelException;

/**
 * A Java project's build path as a compiler outside Eclipse takes it: the source folders (the
 * other files as last saved, which JDT's own reconcile reads too, and the generated ones), and as
 * class path the libraries and the output folders of the project and the projects it requires.
 */
final class ProjectClassPath {
    /**
     * The JDK's modules on a build path are a library entry for its {@code jrt-fs.jar}; the compiler
     * reads the JDK it runs on instead (Eclipse's own).
     */
    private static final String JDK_MODULES = "jrt-fs.jar";

    private ProjectClassPath() {
    }

    /** The project's source folders on disk, as one {@code -sourcepath} value; only those that exist. */
    static String sources(IJavaProject project) throws JavaModelException {
        Set<String> entries = new LinkedHashSet<>();
        IWorkspaceRoot root = project.getProject().getWorkspace().getRoot();
        for (IClasspathEntry entry : project.getResolvedClasspath(true)) {
            if (entry.getEntryKind() == IClasspathEntry.CPE_SOURCE) {
                add(location(root, entry.getPath()), entries);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The class path entries, in build path order, as one {@code -classpath} value; only those that exist. */
    static String classes(IJavaProject project) throws JavaModelException {
        Set<String> entries = new LinkedHashSet<>();
        IWorkspaceRoot root = project.getProject().getWorkspace().getRoot();
        addOutputs(project, root, entries);
        for (IClasspathEntry entry : project.getResolvedClasspath(true)) {
            switch (entry.getEntryKind()) {
                case IClasspathEntry.CPE_LIBRARY -> {
                    if (!JDK_MODULES.equals(entry.getPath().lastSegment())) {
                        add(location(root, entry.getPath()), entries);
                    }
                }
                case IClasspathEntry.CPE_PROJECT -> {
                    IJavaProject required = JavaCore.create(root.getProject(entry.getPath().lastSegment()));
                    if (required.exists()) {
                        addOutputs(required, root, entries);
                    }
                }
                default -> {
                    // sources: their output folders are added above; containers and variables come resolved
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The project's default output folder and every source folder's own output folder. */
    private static void addOutputs(IJavaProject project, IWorkspaceRoot root, Set<String> entries)
            throws JavaModelException {
        add(location(root, project.getOutputLocation()), entries);
        for (IClasspathEntry entry : project.getResolvedClasspath(true)) {
            if (entry.getEntryKind() == IClasspathEntry.CPE_SOURCE && entry.getOutputLocation() != null) {
                add(location(root, entry.getOutputLocation()), entries);
            }
        }
    }

    /** A workspace path (a folder or jar in a project) on disk; any other path is one already. */
    private static IPath location(IWorkspaceRoot root, IPath path) {
        IResource resource = root.findMember(path);
        return resource != null ? resource.getLocation() : path;
    }

    private static void add(IPath location, Set<String> entries) {
        if (location != null && location.toFile().exists()) {
            entries.add(location.toOSString());
        }
    }
}
