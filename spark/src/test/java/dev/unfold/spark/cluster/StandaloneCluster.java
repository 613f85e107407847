package dev.unfold.spark.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and {@code workers} workers of one core each,
 * every one a JVM of its own, started from a {@code SPARK_HOME} this class lays out in
 * {@code target/} (see {@link #start}). The workers start each executor as Spark does on a real
 * cluster, from {@code SPARK_HOME/jars}, which holds Spark and its libraries only: the application
 * (Unfold, the generated networks, the tests) reaches the executors through {@code spark.jars},
 * which {@link #sparkConf} sets.
 *
 * <p>Every process is stopped by {@link #close}, or by a shutdown hook if the JVM ends first; each
 * one logs to a file under {@link #logDirectory()} (the executors' logs are under
 * {@code worker-N/app-*}/{@code N/stderr}).
 */
public final class StandaloneCluster implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path directory;
    private final int workers;
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopProcesses, "stop the Spark standalone cluster");
    private final List<Path> applicationJars;
    private final String workerMemory;
    private int masterPort;

    private StandaloneCluster(Path directory, int workers, List<Path> applicationJars, String workerMemory) {
        this.directory = directory;
        this.workers = workers;
        this.applicationJars = applicationJars;
        this.workerMemory = workerMemory;
    }

    /**
     * Starts a master and {@code workers} workers, each with one core and {@code workerMemory} (as
     * Spark writes it, {@code 1g}), and returns once the master counts them all alive. Everything
     * goes in {@code directory}, emptied first: {@code spark-home/} (its {@code jars/} links this
     * JVM's library jars: the driver and the cluster run the same Spark), {@code app/} (the
     * application's jars), and the logs.
     */
    public static StandaloneCluster start(Path directory, int workers, String workerMemory) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers is " + workers + ", expected at least 1");
        }
        Path absolute = directory.toAbsolutePath().normalize();
        deleteRecursively(absolute);
        TestClassPath classPath = TestClassPath.ofThisJvm();
        StandaloneCluster cluster = new StandaloneCluster(absolute, workers, classPath.applicationJars(absolute.resolve("app")),
                workerMemory);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            Path sparkHome = layOutSparkHome(cluster.sparkHome(), classPath.libraries());
            cluster.startProcesses(sparkHome, workerMemory);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** The URL drivers connect to, {@code spark://127.0.0.1:port}. */
    public String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    /** Where the master's, the workers' and (under each worker's directory) the executors' logs are. */
    public Path logDirectory() {
        return directory;
    }

    /** The {@code SPARK_HOME} the master, the workers and the executors run from. */
    public Path sparkHome() {
        return directory.resolve("spark-home");
    }

    /** How many workers, hence executors of one core, the cluster has. */
    public int workers() {
        return workers;
    }

    /** The application's jars, as {@link #sparkConf} gives them to {@code spark.jars}. */
    public List<Path> applicationJars() {
        return applicationJars;
    }

    /**
     * A configuration for a driver in this JVM: this cluster's master, one executor of one core per
     * worker with all the worker's memory (and the runtime told to use that one core alone,
     * {@code -Dunfold.oneCore=true}, as docs/spark.md advises), the application's jars in
     * {@code spark.jars}, and jobs held back until every executor has registered (a barrier stage
     * needs them all, and a measurement wants them all).
     */
    public SparkConf sparkConf(String appName) {
        return new SparkConf()
                .setMaster(masterUrl())
                .setAppName(appName)
                .set("spark.driver.host", HOST)
                .set("spark.driver.bindAddress", HOST)
                .set("spark.jars", applicationJars.stream().map(Path::toString).collect(Collectors.joining(",")))
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", workerMemory)
                .set("spark.executor.extraJavaOptions", "-Dunfold.oneCore=true")
                .set("spark.cores.max", Integer.toString(workers))
                .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .set("spark.ui.enabled", "false");
    }

    /** The processes of the cluster now: the master, the workers, and the executors the workers started. */
    public synchronized List<ProcessHandle> processes() {
        List<ProcessHandle> handles = new ArrayList<>();
        for (Process process : processes) {
            handles.add(process.toHandle());
            process.toHandle().descendants().forEach(handles::add);
        }
        return handles;
    }

    /** Stops the workers (and the executors they started), then the master; waits for them to end. */
    @Override
    public void close() {
        stopProcesses();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    private void startProcesses(Path sparkHome, String workerMemory) {
        masterPort = freePort();
        int masterWebPort = freePort();
        start(sparkHome, "master", List.of("org.apache.spark.deploy.master.Master",
                "--host", HOST, "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterWebPort)));
        for (int w = 1; w <= workers; w++) {
            Path workDirectory = directory.resolve("worker-" + w);
            start(sparkHome, "worker-" + w, List.of("org.apache.spark.deploy.worker.Worker",
                    "--host", HOST, "--cores", "1", "--memory", workerMemory,
                    "--webui-port", Integer.toString(freePort()), "--work-dir", workDirectory.toString(), masterUrl()));
        }
        awaitAliveWorkers(masterWebPort);
    }

    private void start(Path sparkHome, String name, List<String> mainAndArguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + "/*");
        command.addAll(mainAndArguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".log").toFile());
        // What Spark's own scripts (load-spark-env.sh) put in a daemon's environment; the worker builds
        // each executor's command from SPARK_HOME and the Scala version, and runs it on JAVA_HOME.
        builder.environment().put("SPARK_HOME", sparkHome.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13");
        builder.environment().put("SPARK_LOCAL_IP", HOST);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            processes.add(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the Spark " + name + ": " + command, e);
        }
    }

    /** Polls the master's status page ({@code /json/}) until it counts every worker alive. */
    private void awaitAliveWorkers(int masterWebPort) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + masterWebPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int counted = 0;
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("A Spark process of the cluster ended with exit code "
                            + process.exitValue() + " while it started; see the logs in " + directory);
                }
            }
            try {
                Matcher matcher = alive.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                if (matcher.find()) {
                    counted = Integer.parseInt(matcher.group(1));
                    if (counted == workers) {
                        return;
                    }
                }
            } catch (IOException notYetListening) {
                // the master is still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while the Spark cluster started", e);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("The Spark master counted " + counted + " alive workers after "
                + START_TIMEOUT.toSeconds() + " s, expected " + workers + "; see the logs in " + directory);
    }

    /**
     * Workers first, each with the executors it started (its descendants, gathered before it is
     * asked to stop), then the master; a process still alive after {@link #STOP_TIMEOUT} is killed.
     */
    private synchronized void stopProcesses() {
        List<ProcessHandle> handles = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            ProcessHandle process = processes.get(i).toHandle();
            process.descendants().forEach(handles::add);
            handles.add(process);
        }
        processes.clear();
        handles.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle handle : handles) {
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception stillAlive) {
                handle.destroyForcibly();
            }
        }
    }

    private static Path layOutSparkHome(Path sparkHome, List<Path> libraries) {
        try {
            Path jars = Files.createDirectories(sparkHome.resolve("jars"));
            Files.createDirectories(sparkHome.resolve("conf"));
            for (Path library : libraries) {
                Path link = jars.resolve(library.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, library);
                }
            }
            return sparkHome;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not lay out SPARK_HOME in " + sparkHome, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while the Spark cluster started", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty " + directory, e);
        }
    }
}
