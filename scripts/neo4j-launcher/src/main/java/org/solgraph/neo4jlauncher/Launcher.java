package org.solgraph.neo4jlauncher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;
import picocli.CommandLine;

/**
 * Runs a Neo4j Community DBMS with only the Bolt connector, for local and CI tests.
 *
 * <p>The DBMS is the embedded one from the {@code org.neo4j:neo4j} artifact, so no Neo4j
 * distribution or Docker image is needed. All store files live under {@code --home}, which
 * makes a stop followed by a start on the same home keep the data. There is no HTTP server
 * (that lives only in the packaged server), and usage reporting is switched off.
 *
 * <p>The process runs until it receives SIGTERM/SIGINT (a JVM shutdown hook closes the DBMS
 * cleanly), or until its parent disappears: with {@code --watch-stdin} it exits when its
 * standard input reaches EOF (the parent holds the other end of a pipe), and with
 * {@code --parent-pid N} it exits when process N is gone. Both guard against orphaned JVMs
 * when a test runner is killed.
 *
 * <p>Once Bolt accepts logins it prints the line {@value #READY_MARKER} followed by the URI.
 *
 * <p>{@code admin --home DIR -- ARGS...} instead runs Neo4j's own admin tool (what the
 * packaged {@code neo4j-admin ARGS...} runs) on the DBMS whose files live under {@code DIR},
 * e.g. {@code database import full}, from the same Maven Central jars; the DBMS must not be
 * running. It exits with the tool's exit code.
 */
public final class Launcher {
    /** Printed on stdout once the DBMS is up and the credentials are in place. */
    public static final String READY_MARKER = "SOLGRAPH-NEO4J-READY";

    /** Environment variable that carries the password, so it does not show in {@code ps}. */
    public static final String PASSWORD_ENV = "SOLGRAPH_NEO4J_LAUNCHER_PASSWORD";

    private static final PrintStream OUT = System.out;

    private Launcher() {}

    /** Command-line options; see {@link #usage()}. */
    private static final class Options {
        Path home;
        String host = "127.0.0.1";
        int port = 7687;
        String user = "neo4j";
        String password;
        boolean auth = true;
        long pageCacheBytes = 64L * 1024 * 1024;
        boolean watchStdin;
        long parentPid = -1;
        Path configFile;
    }

    public static void main(String[] args) {
        if (args.length > 0 && "admin".equals(args[0])) {
            System.exit(admin(args));
        }
        Options opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("neo4j-launcher: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        try {
            run(opts);
        } catch (Throwable t) {
            System.err.println("neo4j-launcher: failed to start Neo4j: " + t);
            t.printStackTrace();
            System.err.flush();
            // halt: a half-started DBMS may have non-daemon threads that would keep us alive.
            Runtime.getRuntime().halt(1);
        }
    }

    private static String usage() {
        return "usage: java -jar neo4j-launcher.jar --home DIR [--host 127.0.0.1] [--port 7687]\n"
            + "       [--user neo4j] [--password PW | env " + PASSWORD_ENV + "] [--no-auth]\n"
            + "       [--pagecache-mb 64] [--watch-stdin] [--parent-pid PID] [--config FILE]\n"
            + "   or: java -jar neo4j-launcher.jar admin --home DIR -- NEO4J-ADMIN-ARGS...";
    }

    /**
     * Runs {@code neo4j-admin} with the arguments after {@code --}, its home {@code --home}.
     *
     * <p>The admin tool reads {@code neo4j.conf} from {@code DIR/conf}; an empty one is written
     * when there is none, so that its defaults (data under {@code DIR/data}) match the
     * embedded DBMS this launcher starts on the same home.
     */
    private static int admin(String[] args) {
        Path home = null;
        int i = 1;
        for (; i < args.length && !"--".equals(args[i]); i++) {
            if ("--home".equals(args[i]) && i + 1 < args.length) {
                home = Path.of(args[++i]).toAbsolutePath();
            } else {
                System.err.println("neo4j-launcher: unexpected admin argument " + args[i]);
                System.err.println(usage());
                return 2;
            }
        }
        if (home == null || i >= args.length) {
            System.err.println("neo4j-launcher: admin needs --home DIR and -- before the arguments");
            System.err.println(usage());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, i + 1, args.length);
        try {
            Path conf = home.resolve("conf");
            Files.createDirectories(conf);
            Path file = conf.resolve("neo4j.conf");
            if (!Files.exists(file)) {
                Files.writeString(file, "", StandardCharsets.UTF_8);
            }
            return AdminTool.execute(new ExecutionContext(home, conf), rest);
        } catch (IOException e) {
            System.err.println("neo4j-launcher: cannot prepare " + home + ": " + e);
            return 1;
        }
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home" -> o.home = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--host" -> o.host = value(args, ++i, a);
                case "--port" -> o.port = Integer.parseInt(value(args, ++i, a));
                case "--user" -> o.user = value(args, ++i, a);
                case "--password" -> o.password = value(args, ++i, a);
                case "--no-auth" -> o.auth = false;
                case "--pagecache-mb" ->
                    o.pageCacheBytes = Long.parseLong(value(args, ++i, a)) * 1024 * 1024;
                case "--watch-stdin" -> o.watchStdin = true;
                case "--parent-pid" -> o.parentPid = Long.parseLong(value(args, ++i, a));
                case "--config" -> o.configFile = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (o.home == null) {
            throw new IllegalArgumentException("--home is required");
        }
        if (o.password == null) {
            o.password = System.getenv(PASSWORD_ENV);
        }
        if (o.auth && (o.password == null || o.password.isEmpty())) {
            throw new IllegalArgumentException("a password is required unless --no-auth is given");
        }
        return o;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static void run(Options o) throws IOException, InterruptedException {
        Files.createDirectories(o.home);
        CountDownLatch stopped = new CountDownLatch(1);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(o.home)
            .setUserLogProvider(new Log4jLogProvider(OUT, Level.INFO));
        if (o.configFile != null) {
            // Applied first so the settings below (which this launcher relies on) win.
            builder.loadPropertiesFromFile(o.configFile);
        }
        builder
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(o.host, o.port))
            .setConfig(BoltConnector.advertised_address, new SocketAddress(o.host, o.port))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .setConfig(GraphDatabaseSettings.udc_enabled, false)
            .setConfig(GraphDatabaseSettings.auth_enabled, o.auth)
            .setConfig(GraphDatabaseSettings.auth_minimum_password_length, 1)
            .setConfig(GraphDatabaseSettings.pagecache_memory, o.pageCacheBytes)
            .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
            // Shutdown waits this long for running transactions (default 10 s) before it
            // terminates them; tests that stop the server mid-query should not wait that long.
            .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout,
                Duration.ofSeconds(2))
            // Netty's default graceful shutdown idles 5 s twice; tests restart the server often.
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                Duration.ofSeconds(5));

        Credentials credentials = o.auth ? new Credentials(o.home, o.user, o.password) : null;
        if (credentials != null) {
            credentials.beforeStart();
        }

        // Registered before the DBMS exists, so a SIGTERM or a vanished parent during startup
        // also ends the process; the hook closes the DBMS once there is one.
        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService dbms = running.getAndSet(null);
            if (dbms == null) {
                return;
            }
            log("shutting down Neo4j");
            try {
                dbms.shutdown();
                log("Neo4j stopped");
            } catch (Throwable t) {
                System.err.println("neo4j-launcher: error during shutdown: " + t);
            } finally {
                OUT.flush();
                stopped.countDown();
            }
        }, "neo4j-launcher-shutdown"));
        startParentWatchers(o);

        log("starting Neo4j (home " + o.home + ", bolt " + o.host + ":" + o.port + ")");
        DatabaseManagementService dbms = builder.build();
        running.set(dbms);

        if (credentials != null) {
            credentials.afterStart(dbms);
        }

        OUT.println(READY_MARKER + " bolt://" + o.host + ":" + o.port);
        OUT.flush();
        stopped.await();
    }

    private static void startParentWatchers(Options o) {
        if (o.watchStdin) {
            daemon("neo4j-launcher-stdin-watch", () -> {
                byte[] buf = new byte[256];
                try (InputStream in = System.in) {
                    while (in.read(buf) >= 0) {
                        // Whatever the parent writes is ignored; only EOF matters.
                    }
                } catch (IOException ignored) {
                    // A broken pipe means the parent is gone as well.
                }
                log("stdin closed: parent is gone, exiting");
                System.exit(0);
            });
        }
        if (o.parentPid > 0) {
            daemon("neo4j-launcher-parent-watch", () -> {
                while (true) {
                    Optional<ProcessHandle> parent = ProcessHandle.of(o.parentPid);
                    if (parent.isEmpty() || !parent.get().isAlive()) {
                        log("parent process " + o.parentPid + " is gone, exiting");
                        System.exit(0);
                    }
                    sleep(Duration.ofMillis(500));
                }
            });
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String msg) {
        OUT.println("neo4j-launcher: " + msg);
        OUT.flush();
    }

    /**
     * Makes {@code user}/{@code password} the Bolt login.
     *
     * <p>On a fresh home and the default user this writes the initial password (what
     * {@code neo4j-admin dbms set-initial-password} does) before the DBMS starts, which costs no
     * Cypher compilation. Otherwise it runs {@code ALTER USER} on the system database after
     * start, but only when the requested credentials differ from the ones this launcher set
     * last time (remembered as a hash in the home), so plain restarts stay fast.
     */
    private static final class Credentials {
        private final Path home;
        private final String user;
        private final String password;
        private final Path marker;
        private boolean done;

        Credentials(Path home, String user, String password) {
            this.home = home;
            this.user = user;
            this.password = password;
            this.marker = home.resolve("solgraph-credentials.sha256");
        }

        void beforeStart() throws IOException {
            boolean fresh = !Files.exists(home.resolve("data/databases/system"));
            if (fresh) {
                Files.deleteIfExists(marker);
            }
            if (fresh && "neo4j".equals(user)) {
                // The command reads its own neo4j.conf; give it one that accepts short passwords.
                Path confDir = Files.createTempDirectory("neo4j-launcher-conf");
                Path conf = confDir.resolve("neo4j.conf");
                try {
                    Files.writeString(conf, "dbms.security.auth_minimum_password_length=1\n");
                    var command = new SetInitialPasswordCommand(new ExecutionContext(home, confDir));
                    done = new CommandLine(command).execute(password) == 0;
                } finally {
                    Files.deleteIfExists(conf);
                    Files.deleteIfExists(confDir);
                }
                if (done) {
                    remember();
                }
            } else if (Files.exists(marker)
                && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(digest())) {
                done = true;
            }
        }

        void afterStart(DatabaseManagementService dbms) throws IOException {
            if (done) {
                log("credentials for user '" + user + "' are in place");
                return;
            }
            var system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            Map<String, Object> params = Map.of("user", user, "password", password);
            if (!"neo4j".equals(user)) {
                system.executeTransactionally(
                    "CREATE USER $user IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED",
                    params);
            }
            try {
                system.executeTransactionally(
                    "ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
            } catch (RuntimeException e) {
                // Neo4j refuses to "change" a password to its current value; then only the
                // change-required flag may need clearing.
                if (!String.valueOf(e.getMessage()).toLowerCase().contains("same")) {
                    throw e;
                }
                system.executeTransactionally(
                    "ALTER USER $user SET PASSWORD CHANGE NOT REQUIRED", Map.of("user", user));
            }
            remember();
            log("credentials set for user '" + user + "'");
        }

        private void remember() throws IOException {
            Files.writeString(marker, digest() + "\n", StandardCharsets.UTF_8);
        }

        private String digest() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] hash = sha.digest((user + "\0" + password).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
