package dev.unfold.eclipse.scenarios;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.eclipse.core.resources.IFile;
import org.eclipse.core.resources.IFolder;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspace;
import org.eclipse.core.resources.IWorkspaceDescription;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.jdt.apt.core.internal.util.FactoryContainer;
import org.eclipse.jdt.apt.core.internal.util.FactoryPath;
import org.eclipse.jdt.apt.core.util.AptConfig;
import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.IJavaProject;
import org.eclipse.jdt.core.JavaCore;

/**
 * A Java project in the running Eclipse's workspace, set up as a user sets one up in the IDE:
 * sources in {@code src}, classes in {@code bin}, the JDK as system library, Unfold's runtime on
 * the build path, and annotation processing enabled with a factory path, generating into
 * {@code .apt_generated}. The workspace does not build by itself: each scenario asks for a build,
 * as a save with "Build automatically" would start one.
 */
final class WorkspaceProject {
    /** The id under which Eclipse knows the plug-in (the processor jar's Bundle-SymbolicName). */
    static final String PLUGIN = "dev.unfold.processor";
    private static final NullProgressMonitor MONITOR = new NullProgressMonitor();

    private final IJavaProject java;
    private final Settings settings;

    private WorkspaceProject(IJavaProject java, Settings settings) {
        this.java = java;
        this.settings = settings;
    }

    /**
     * A project whose factory path has the processor jar on, and the plug-ins off (Unfold's is
     * installed too): what a user who adds the jar under Factory Path and unticks the plug-ins has.
     */
    static WorkspaceProject withProcessorJar(String name, Settings settings) throws CoreException {
        WorkspaceProject project = create(name, settings);
        FactoryPath path = (FactoryPath) AptConfig.getDefaultFactoryPath(project.java);
        for (FactoryContainer container : path.getAllContainers().keySet()) {
            if (container.getType() == FactoryContainer.FactoryType.PLUGIN) {
                path.disablePlugin(container.getId());
            }
        }
        path.addExternalJar(settings.processorJar().toFile());
        project.setFactoryPath(path);
        return project;
    }

    /** A plain project with annotation processing on and the default factory path: the plug-ins Eclipse has. */
    static WorkspaceProject withDefaultFactoryPath(String name, Settings settings) throws CoreException {
        WorkspaceProject project = create(name, settings);
        project.setFactoryPath((FactoryPath) AptConfig.getDefaultFactoryPath(project.java));
        return project;
    }

    private static WorkspaceProject create(String name, Settings settings) throws CoreException {
        IWorkspace workspace = ResourcesPlugin.getWorkspace();
        IWorkspaceDescription description = workspace.getDescription();
        if (description.isAutoBuilding()) {
            description.setAutoBuilding(false);
            workspace.setDescription(description);
        }
        IProject project = workspace.getRoot().getProject(name);
        project.create(MONITOR);
        project.open(MONITOR);
        var projectDescription = project.getDescription();
        projectDescription.setNatureIds(new String[] {JavaCore.NATURE_ID});
        project.setDescription(projectDescription, MONITOR);

        IJavaProject java = JavaCore.create(project);
        IFolder src = project.getFolder("src");
        src.create(true, true, MONITOR);
        List<IClasspathEntry> entries = new ArrayList<>();
        entries.add(JavaCore.newSourceEntry(src.getFullPath()));
        // The JDK's modules, read through its jrt-fs.jar, as JDT's own tests do: no JRE container needed.
        entries.add(JavaCore.newLibraryEntry(IPath.fromOSString(settings.jrtFileSystem().toString()), null, null));
        for (Path library : settings.libraries()) {
            entries.add(JavaCore.newLibraryEntry(IPath.fromOSString(library.toString()), null, null));
        }
        java.setRawClasspath(entries.toArray(IClasspathEntry[]::new), project.getFolder("bin").getFullPath(), MONITOR);
        Map<String, String> options = java.getOptions(false);
        JavaCore.setComplianceOptions("17", options);
        java.setOptions(options);

        AptConfig.setEnabled(java, true);
        return new WorkspaceProject(java, settings);
    }

    private void setFactoryPath(FactoryPath path) throws CoreException {
        AptConfig.setFactoryPath(java, path);
    }

    /** The factory path's entries that are on, by id (a jar's path, or a plug-in's id). */
    List<String> enabledFactories() {
        return AptConfig.getFactoryPath(java) instanceof FactoryPath path
                ? path.getEnabledContainers().keySet().stream().map(FactoryContainer::getId).toList()
                : List.of();
    }

    Settings settings() {
        return settings;
    }

    IJavaProject java() {
        return java;
    }

    IProject project() {
        return java.getProject();
    }

    /** Writes (creates or replaces) a file under {@code src}, as saving it in the editor does. */
    IFile write(String relativePath, String... lines) throws CoreException {
        IFile file = project().getFile("src/" + relativePath);
        createFolders(file.getParent());
        InputStream text = new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        if (file.exists()) {
            file.setContents(text, IResource.FORCE, MONITOR);
        } else {
            file.create(text, IResource.FORCE, MONITOR);
        }
        return file;
    }

    void delete(String relativePath) throws CoreException {
        project().getFile("src/" + relativePath).delete(true, MONITOR);
    }

    private static void createFolders(org.eclipse.core.resources.IContainer container) throws CoreException {
        if (container instanceof IFolder folder && !folder.exists()) {
            createFolders(folder.getParent());
            folder.create(true, true, MONITOR);
        }
    }

    void fullBuild() throws CoreException {
        project().build(IncrementalProjectBuilder.FULL_BUILD, MONITOR);
    }

    /** What saving with "Build automatically" on does: an incremental build of what changed. */
    void incrementalBuild() throws CoreException {
        project().build(IncrementalProjectBuilder.INCREMENTAL_BUILD, MONITOR);
    }

    /** The project's generated source folder, where APT writes ({@code .apt_generated}). */
    IFolder generatedFolder() {
        return project().getFolder(AptConfig.getGenSrcDir(java));
    }

    /** The file APT generated for a class, in the project's generated source folder (it may not exist). */
    IFile generated(String qualifiedName) {
        return generatedFolder().getFile(qualifiedName.replace('.', '/') + ".java");
    }

    /** Every file under the generated source folder, by path relative to it. */
    List<String> generatedFiles() throws CoreException {
        IFolder folder = generatedFolder();
        List<String> files = new ArrayList<>();
        if (folder.exists()) {
            folder.accept(resource -> {
                if (resource.getType() == IResource.FILE) {
                    files.add(resource.getProjectRelativePath().makeRelativeTo(folder.getProjectRelativePath()).toString());
                }
                return true;
            });
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    static String text(IFile file) throws CoreException {
        try (InputStream in = file.getContents(true)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The project's output folder on disk, where the builder writes class files. */
    Path classes() throws CoreException {
        IPath location = project().getWorkspace().getRoot().getFolder(java.getOutputLocation()).getLocation();
        return location.toPath();
    }

    /** Every problem marker (errors, warnings; Java and APT) on the project and its files, in file and line order. */
    List<Problem> problems() throws CoreException {
        IMarker[] markers = project().findMarkers(IMarker.PROBLEM, true, IResource.DEPTH_INFINITE);
        List<Problem> problems = new ArrayList<>();
        for (IMarker marker : markers) {
            problems.add(new Problem(marker.getResource().getProjectRelativePath().toString(),
                    marker.getAttribute(IMarker.LINE_NUMBER, -1), marker.getAttribute(IMarker.SEVERITY, -1),
                    marker.getAttribute(IMarker.MESSAGE, ""), marker.getAttribute(IMarker.CHAR_START, -1),
                    marker.getAttribute(IMarker.CHAR_END, -1), marker.getType()));
        }
        problems.sort(Comparator.comparing(Problem::file).thenComparingInt(Problem::line));
        return problems;
    }

    List<Problem> errors() throws CoreException {
        return problems().stream().filter(Problem::isError).toList();
    }

    /** A problem marker, as the Problems view lists it. */
    record Problem(String file, int line, int severity, String message, int start, int end, String type) {
        boolean isError() {
            return severity == IMarker.SEVERITY_ERROR;
        }
    }

    /** What the launcher outside Eclipse passes to each scenario. */
    record Settings(Path processorJar, List<Path> libraries, Path jrtFileSystem, Path scratch) {
        /** The same, with only the libraries whose path contains {@code part} (a build path missing the others). */
        Settings onlyLibraries(String part) {
            return new Settings(processorJar, libraries.stream().filter(l -> l.toString().contains(part)).toList(),
                    jrtFileSystem, scratch);
        }

        static Settings from(Map<String, String> settings) {
            return new Settings(Path.of(settings.get("processorJar")),
                    Arrays.stream(settings.get("libraries").split(File.pathSeparator)).map(Path::of).toList(),
                    Path.of(System.getProperty("java.home"), "lib", "jrt-fs.jar"),
                    Path.of(settings.get("scratch")));
        }
    }
}
