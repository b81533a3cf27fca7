package org.psmgraph.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs Neo4j Community embedded with its Bolt connector on, as a child process of psmgraph's Go code.
 *
 * <p>Process contract (the Go side parses it, so keep it stable):
 * <ul>
 *   <li>stdout carries exactly one line, {@code psmgraph-neo4j ready bolt://HOST:PORT}, once the default
 *       database accepts queries; nothing else is ever written there.</li>
 *   <li>Exit code 2: bad command line. Exit code 1: start-up failed (one-line reason on stderr).</li>
 *   <li>SIGTERM/SIGINT, or EOF on stdin with {@code --watch-stdin}: clean shutdown, then
 *       {@code psmgraph-neo4j stopped} on stderr.</li>
 * </ul>
 * See README.md for the flags.
 */
public final class EmbeddedNeo4j {

    static final String PASSWORD_ENV = "PSMGRAPH_NEO4J_PASSWORD";
    static final String READY_PREFIX = "psmgraph-neo4j ready ";
    static final String STOPPED_LINE = "psmgraph-neo4j stopped";
    static final String DEFAULT_DB = GraphDatabaseSettings.DEFAULT_DATABASE_NAME;

    /** Generous: a big store may need recovery after a crash before it comes online. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(5);

    /** Exit codes of the contract. */
    private static final int EXIT_STARTUP_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    // Shutdown coordination between main (which starts the DBMS) and the shutdown hook (which stops it).
    // A signal may arrive while start-up is still running; the hook must then wait for main to close what
    // it opened rather than let the JVM halt mid-start, which would leave the store needing recovery.
    private static final Object LOCK = new Object();
    private static final CountDownLatch STARTUP_DONE = new CountDownLatch(1);
    private static DatabaseManagementService service; // guarded by LOCK; set once start-up succeeded
    private static boolean stopping; // guarded by LOCK; set by the shutdown hook

    private EmbeddedNeo4j() {}

    public static void main(String[] args) throws InterruptedException {
        // Keep the real stdout for the single ready line, and send everything else that any library might
        // print to System.out over to stderr: the parent treats stdout as a protocol channel.
        PrintStream protocolOut = System.out;
        System.setOut(System.err);

        Options opts;
        try {
            opts = Options.parse(args);
        } catch (UsageException e) {
            System.err.println("psmgraph-neo4j: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        if (opts.help) {
            System.err.println(Options.USAGE);
            return;
        }

        String password = System.getenv(PASSWORD_ENV);
        boolean authEnabled = password != null && !password.isEmpty();

        Map<org.neo4j.graphdb.config.Setting<?>, Object> settings;
        try {
            settings = settings(opts, authEnabled);
            // Validate up front with Neo4j's own parser, so an out-of-range value (e.g. a tiny
            // --tx-max-memory) is reported as a usage error rather than as a start-up failure.
            Config.newBuilder().set(settings).build();
            Files.createDirectories(opts.importDir());
        } catch (IllegalArgumentException e) {
            System.err.println("psmgraph-neo4j: invalid setting: " + oneLine(e.getMessage()));
            System.exit(EXIT_USAGE);
            return;
        } catch (IOException e) {
            System.err.println("psmgraph-neo4j: cannot create directories under " + opts.home + ": " + e);
            System.exit(EXIT_STARTUP_FAILED);
            return;
        }

        Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedNeo4j::shutdown, "psmgraph-neo4j-shutdown"));
        if (opts.watchStdin) {
            startStdinWatcher();
        }

        DatabaseManagementService dbms = null;
        String boltUri = null;
        Throwable failure = null;
        boolean published = false;
        try {
            dbms = new DatabaseManagementServiceBuilder(opts.home)
                    .setConfig(settings)
                    // Neo4j's user log (what a server writes to neo4j.log) goes to stderr, WARN and up only:
                    // the parent sees real problems without start-up chatter. The verbose debug log still
                    // goes to <home>/logs/debug.log for post-mortems.
                    .setUserLogProvider(new Log4jLogProvider(System.err, Level.WARN))
                    .build();
            awaitAvailable(dbms);
            if (authEnabled) {
                setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
            }
            boltUri = "bolt://" + hostForUri(opts.boltHost) + ":" + opts.boltPort;
            synchronized (LOCK) {
                if (!stopping) {
                    service = dbms;
                    published = true;
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            // Whatever happened, an instance the hook cannot see must be closed here, before releasing it.
            if (!published && dbms != null) {
                try {
                    dbms.shutdown();
                    if (failure == null) {
                        System.err.println(STOPPED_LINE); // signal arrived during start-up
                    }
                } catch (Throwable ignored) {
                    // Exiting anyway; the original failure (if any) is the one worth reporting.
                }
            }
            // Release the shutdown hook before any System.exit below: exit blocks while hooks run.
            STARTUP_DONE.countDown();
        }

        boolean signalled;
        synchronized (LOCK) {
            signalled = stopping;
        }
        if (signalled) {
            return; // the JVM is already shutting down (signal or stdin EOF); it sets the exit code
        }
        if (!published) {
            System.err.println("psmgraph-neo4j: start-up failed: " + describe(failure)
                    + " (details: " + opts.home.resolve("logs").resolve("debug.log") + ")");
            // System.exit rather than return: Neo4j may have left non-daemon threads behind.
            System.exit(EXIT_STARTUP_FAILED);
            return;
        }
        protocolOut.println(READY_PREFIX + boltUri);
        protocolOut.flush();

        // Park main for good: the process ends only through a signal or System.exit (stdin watcher),
        // both of which run the shutdown hook.
        Thread.currentThread().join();
    }

    /** Shutdown hook body: stops the DBMS exactly once, after main has finished or abandoned start-up. */
    private static void shutdown() {
        synchronized (LOCK) {
            stopping = true; // makes a start-up in progress give up at its next check
        }
        try {
            STARTUP_DONE.await(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DatabaseManagementService dbms;
        synchronized (LOCK) {
            dbms = service;
            service = null;
        }
        if (dbms == null) {
            return; // start-up failed or was abandoned; main has already closed what it opened
        }
        try {
            dbms.shutdown();
            System.err.println(STOPPED_LINE);
        } catch (Throwable e) {
            System.err.println("psmgraph-neo4j: shutdown failed: " + describe(e));
        }
        System.err.flush();
    }

    /**
     * With --watch-stdin the parent holds our stdin pipe; EOF means it exited or crashed. Exiting then
     * (via System.exit, so the shutdown hook closes the store cleanly) prevents orphaned databases that
     * would keep the port and the store lock.
     */
    private static void startStdinWatcher() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1024];
            try (InputStream in = System.in) {
                while (in.read(buf) >= 0) {
                    // Input is ignored; only EOF matters.
                }
            } catch (IOException ignored) {
                // A broken stdin means the same thing as EOF.
            }
            System.err.println("psmgraph-neo4j: stdin closed, shutting down");
            System.exit(0);
        }, "psmgraph-neo4j-stdin-watch");
        t.setDaemon(true); // must never keep the JVM alive by itself
        t.start();
    }

    private static Map<org.neo4j.graphdb.config.Setting<?>, Object> settings(Options o, boolean auth) {
        Map<org.neo4j.graphdb.config.Setting<?>, Object> s = new HashMap<>();
        // Bolt is off by default when embedded. Encryption stays off: this is a loopback child process,
        // and the Go driver's plain bolt:// URI would be refused by a TLS-only connector.
        s.put(BoltConnector.enabled, true);
        s.put(BoltConnector.listen_address, new SocketAddress(o.boltHost, o.boltPort));
        s.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        // The advertised address is what routing (neo4j://) URIs are sent back to; the default would be
        // localhost:7687 whatever port we actually listen on.
        s.put(BoltConnector.advertised_address, new SocketAddress(advertisedHost(o.boltHost), o.boltPort));
        // Netty waits for a 5 s "quiet period" on each of Bolt's two event loop groups at shutdown, which
        // made every stop take 10 s. By the time the DBMS shuts down, Bolt has closed its connections,
        // so there is nothing left worth waiting for. (Internal setting: re-check on Neo4j upgrades.)
        s.put(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        s.put(GraphDatabaseSettings.auth_enabled, auth);
        // Neo4j rejects passwords under 8 characters by default; the password is the parent's choice
        // (tests use short ones), so accept any non-empty one rather than fail start-up over it.
        s.put(GraphDatabaseSettings.auth_minimum_password_length, 1);
        // Unset when embedded; without it LOAD CSV would read from anywhere on the filesystem, unlike a server.
        s.put(GraphDatabaseSettings.load_csv_file_url_root, o.importDir());
        s.put(GraphDatabaseSettings.pagecache_memory, o.pageCache);
        s.put(GraphDatabaseSettings.transaction_timeout, o.txTimeout);
        s.put(GraphDatabaseSettings.memory_transaction_max_size, o.txMaxMemory);
        if (o.smallDisk) {
            // Throwaway test stores: keep only the transaction log needed for recovery, and do not
            // preallocate log files (default preallocation costs hundreds of MB per store).
            s.put(GraphDatabaseSettings.keep_logical_logs, "keep_none");
            s.put(GraphDatabaseSettings.preallocate_logical_logs, false);
        }
        return s;
    }

    /**
     * Databases start asynchronously after build(); the ready line must mean "queries will work".
     * Polls in short steps so a database that failed to start is reported promptly instead of after
     * the whole timeout.
     */
    private static void awaitAvailable(DatabaseManagementService dbms) {
        GraphDatabaseService db = dbms.database(DEFAULT_DB);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!db.isAvailable(500)) {
            String failure = databaseFailure(dbms);
            if (failure != null) {
                throw new IllegalStateException("database " + DEFAULT_DB + " failed to start: " + failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("database " + DEFAULT_DB + " not available after "
                        + STARTUP_TIMEOUT.toMinutes() + " minutes");
            }
            synchronized (LOCK) {
                if (stopping) {
                    throw new IllegalStateException("shutdown requested during start-up");
                }
            }
        }
    }

    /** Returns the status message of a default database that gave up starting, or null while it may still come up. */
    private static String databaseFailure(DatabaseManagementService dbms) {
        try (Transaction tx = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).beginTx();
             Result r = tx.execute("SHOW DATABASE $name YIELD currentStatus, statusMessage",
                     Map.of("name", DEFAULT_DB))) {
            if (r.hasNext()) {
                Map<String, Object> row = r.next();
                String status = String.valueOf(row.get("currentStatus")).toLowerCase(Locale.ROOT);
                Object msg = row.get("statusMessage");
                // A database that gave up is "offline" with an error message; "offline" without one can
                // simply mean it has not been started yet.
                if (!status.equals("online") && !status.equals("starting")
                        && msg != null && !msg.toString().isEmpty()) {
                    return status + " (" + msg + ")";
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null; // system database busy or not ready: keep waiting, the timeout still applies
        }
    }

    /**
     * Sets user neo4j's password on every start so the store always matches the environment, whether it
     * is new (default password, change required) or was started before with the same or another password.
     */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED",
                    Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to its current value. That is the normal case on a
            // restart, so treat it as success, and still clear a pending change-required flag.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
    }

    private static String advertisedHost(String host) {
        return isWildcard(host) ? "localhost" : host;
    }

    private static String hostForUri(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /**
     * One line for the parent's error message. Neo4j wraps the interesting failure (port in use, store
     * lock held) in layers of lifecycle exceptions, so report the innermost message, prefixed by the
     * nearest outer message that adds context (e.g. which socket could not be bound).
     */
    static String describe(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Throwable root = chain.get(chain.size() - 1);
        String rootMsg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        for (int i = chain.size() - 2; i >= 0; i--) {
            String m = chain.get(i).getMessage();
            if (m != null && !m.contains(rootMsg)) { // wrappers that merely repeat the cause add nothing
                return oneLine(m + ": " + rootMsg);
            }
        }
        return oneLine(rootMsg);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** Thrown for anything wrong on the command line (exit code 2). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** Parsed command line. Accepts both "--flag value" and "--flag=value". */
    static final class Options {
        static final String USAGE = String.join("\n",
                "usage: java [jvm flags] -jar psmgraph-neo4j.jar --home DIR [options]",
                "  --home DIR              store / Neo4j home directory (created if missing); required",
                "  --bolt HOST:PORT        Bolt listen address (default 127.0.0.1:7687; port 0 = any free port)",
                "  --pagecache SIZE        page cache, bytes or with k/m/g suffix (default 512m)",
                "  --tx-timeout DURATION   transaction timeout, e.g. 30s, 2m, 500ms; 0 = none (default 0)",
                "  --tx-max-memory SIZE    max memory per transaction; 0 = unlimited (default 0)",
                "  --small-disk            keep no old transaction logs and do not preallocate them",
                "  --watch-stdin           shut down cleanly when stdin reaches EOF",
                "  environment " + PASSWORD_ENV + ": if non-empty, auth is on and user neo4j gets this password");

        private static final Pattern SIZE = Pattern.compile("(\\d+)([kmg]?)", Pattern.CASE_INSENSITIVE);
        private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

        Path home;
        String boltHost = "127.0.0.1";
        int boltPort = 7687;
        long pageCache = 512L << 20;
        Duration txTimeout = Duration.ZERO;
        long txMaxMemory = 0;
        boolean smallDisk;
        boolean watchStdin;
        boolean help;

        Path importDir() {
            return home.resolve("import");
        }

        static Options parse(String[] args) throws UsageException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                String inline = null;
                int eq = flag.indexOf('=');
                if (flag.startsWith("--") && eq > 0) {
                    inline = flag.substring(eq + 1);
                    flag = flag.substring(0, eq);
                }
                switch (flag) {
                    case "-h", "--help" -> o.help = true;
                    case "--small-disk" -> o.smallDisk = noValue(flag, inline);
                    case "--watch-stdin" -> o.watchStdin = noValue(flag, inline);
                    case "--home", "--bolt", "--pagecache", "--tx-timeout", "--tx-max-memory" -> {
                        String v = inline;
                        if (v == null) {
                            if (i + 1 >= args.length) {
                                throw new UsageException(flag + " needs a value");
                            }
                            v = args[++i];
                        }
                        o.set(flag, v);
                    }
                    default -> throw new UsageException("unknown argument: " + args[i]);
                }
            }
            if (o.home == null && !o.help) {
                throw new UsageException("--home is required");
            }
            return o;
        }

        private static boolean noValue(String flag, String inline) throws UsageException {
            if (inline != null) {
                throw new UsageException(flag + " takes no value");
            }
            return true;
        }

        private void set(String flag, String v) throws UsageException {
            switch (flag) {
                case "--home" -> {
                    if (v.isBlank()) {
                        throw new UsageException("--home must not be empty");
                    }
                    // Absolute, so settings derived from it do not depend on Neo4j's own path resolution.
                    home = Path.of(v).toAbsolutePath().normalize();
                }
                case "--bolt" -> parseBolt(v);
                case "--pagecache" -> pageCache = parseSize(flag, v);
                case "--tx-max-memory" -> txMaxMemory = parseSize(flag, v);
                case "--tx-timeout" -> txTimeout = parseDuration(flag, v);
                default -> throw new AssertionError(flag);
            }
        }

        private void parseBolt(String v) throws UsageException {
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || colon == v.length() - 1) {
                throw new UsageException("--bolt must be HOST:PORT, got " + quote(v));
            }
            String host = v.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // [::1]:7687
            }
            int port;
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (host.isEmpty() || port < 0 || port > 65535) {
                throw new UsageException("--bolt must be HOST:PORT with PORT in 0..65535, got " + quote(v));
            }
            boltHost = host;
            boltPort = port == 0 ? freePort(host, v) : port;
        }

        /**
         * Port 0 means "any free port". Picked here rather than left to the OS at bind time because Neo4j
         * must also advertise the port to routing (neo4j://) clients, and that is configured before binding.
         * Another process could take the port in the short gap; start-up then fails with exit code 1 and
         * the caller can simply retry.
         */
        private static int freePort(String host, String v) throws UsageException {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                return s.getLocalPort();
            } catch (IOException e) {
                throw new UsageException("--bolt " + v + ": cannot find a free port: " + e.getMessage());
            }
        }

        static long parseSize(String flag, String v) throws UsageException {
            Matcher m = SIZE.matcher(v.trim());
            if (!m.matches()) {
                throw new UsageException(flag + " must be a size like 512m, 2g or 1048576, got " + quote(v));
            }
            int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                default -> 0;
            };
            try {
                long n = Long.parseLong(m.group(1));
                if (n > (Long.MAX_VALUE >> shift)) {
                    throw new NumberFormatException();
                }
                return n << shift;
            } catch (NumberFormatException e) {
                throw new UsageException(flag + " is too large: " + quote(v));
            }
        }

        static Duration parseDuration(String flag, String v) throws UsageException {
            Matcher m = DURATION.matcher(v.trim());
            if (!m.matches()) {
                throw new UsageException(flag + " must be a duration like 30s, 2m, 500ms or 0, got " + quote(v));
            }
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new UsageException(flag + " is too large: " + quote(v));
            }
        }

        private static String quote(String v) {
            return "\"" + v + "\"";
        }
    }
}
