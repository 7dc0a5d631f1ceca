package dev.bizmetrics.agent.engine;

import dev.bizmetrics.agent.config.QuerySpec;
import dev.bizmetrics.agent.log.Log;
import dev.bizmetrics.agent.pools.PoolSampler;
import dev.bizmetrics.agent.sql.SessionGuard;
import dev.bizmetrics.agent.sql.Verdict;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one query on a connection borrowed from the host's pool (or held by a fleet's leader): read-only, in a
 * transaction that is rolled back, with {@code setQueryTimeout} and a {@code cancel()} when the timeout passes. The
 * connection's read-only and auto-commit settings are restored and a borrowed one is always returned to the pool.
 */
public final class QueryRunner {

    static final int FETCH_SIZE = 500;
    /** How often a run that yields to the application looks at the pool again. */
    static final long BUSY_POLL_MILLIS = 50L;
    /** Past the query timeout, how long a silent network may keep a read waiting before the driver gives up. */
    static final long NETWORK_GRACE_MILLIS = 5000L;

    private final ScheduledExecutorService timer;
    private final Executor cancels;

    /**
     * @param timer   fires the cancel when a query runs past its timeout
     * @param cancels runs {@code Statement.cancel()}, which may itself block on the network
     */
    public QueryRunner(ScheduledExecutorService timer, Executor cancels) {
        this.timer = timer;
        this.cancels = cancels;
    }

    /** Runs the query on a connection borrowed from {@code dataSource} for this run only. */
    public QueryResult run(QuerySpec query, DataSource dataSource) {
        return run(query, dataSource, null);
    }

    /**
     * Runs the query on a connection the caller holds (the one a fleet's leader keeps), under the same guard; the
     * connection stays the caller's.
     */
    public QueryResult runOnHeld(QuerySpec query, Connection held) {
        return run(query, null, held);
    }

    private QueryResult run(QuerySpec query, DataSource dataSource, Connection held) {
        long startedMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread thread = Thread.currentThread();
        ClassLoader previousLoader = thread.getContextClassLoader();
        try {
            // Drivers and pools that load classes through the context loader expect the application's loader.
            thread.setContextClassLoader((held != null ? held : dataSource).getClass().getClassLoader());
            Connection connection = held;
            if (connection == null) {
                int waiting = yieldToTheApplication(dataSource, query.timeoutMillis());
                if (waiting > 0) {
                    return QueryResult.busy(startedMillis, seconds(start), waiting + " thread(s) of the application "
                            + "waited for a connection of the pool for the whole timeout (" + query.timeoutMillis()
                            + " ms), so the run borrowed none; it is tried again at its interval");
                }
                try {
                    connection = borrow(dataSource, query.timeoutMillis());
                } catch (NoConnectionInTime e) {
                    return QueryResult.connectionFailure(startedMillis, seconds(start), e.getMessage());
                } catch (SQLException e) {
                    return QueryResult.connectionFailure(startedMillis, seconds(start), query.redact(Log.describe(e)));
                }
            }
            try {
                MappedRows mapped = execute(connection, query, timedOut);
                return QueryResult.success(startedMillis, seconds(start), mapped);
            } finally {
                if (held == null) {
                    closeQuietly(connection, query);
                }
            }
        } catch (ColumnPlan.Mismatch e) {
            return QueryResult.failure(Outcome.ERROR, startedMillis, seconds(start), e.getMessage());
        } catch (Refused e) {
            return QueryResult.failure(Outcome.ERROR, startedMillis, seconds(start), query.redact(e.getMessage()));
        } catch (Throwable t) {
            boolean timeout = timedOut.get() || t instanceof SQLTimeoutException || stoppedByTheServer(t);
            String message = timeout ? "timed out after " + query.timeoutMillis() + " ms and was cancelled ("
                    + Log.describe(t) + ")" : Log.describe(t);
            if (!timeout && MissingSchema.isMissing(t)) {
                return QueryResult.missingSchema(startedMillis, seconds(start), query.redact(message));
            }
            return QueryResult.failure(timeout ? Outcome.TIMEOUT : Outcome.ERROR, startedMillis, seconds(start),
                    query.redact(message));
        } finally {
            thread.setContextClassLoader(previousLoader);
        }
    }

    /**
     * While the application's threads wait for connections of the pool, the agent takes none: waits until none
     * waits or the timeout passes. Returns how many still wait then (0 when the run may borrow; 0 too for a pool
     * that does not tell).
     */
    static int yieldToTheApplication(DataSource dataSource, long timeoutMillis) throws InterruptedException {
        int waiting = PoolSampler.pending(dataSource);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (waiting > 0 && System.nanoTime() < deadline) {
            Thread.sleep(BUSY_POLL_MILLIS);
            waiting = PoolSampler.pending(dataSource);
        }
        return Math.max(0, waiting);
    }

    /**
     * Borrows a connection from the host's pool, waiting no longer than {@code timeoutMillis} even when the pool
     * would wait longer: past it, the waiting thread is interrupted (pools wait interruptibly), never once it holds
     * the connection. The caller's context class loader should be the application's.
     */
    public Connection borrow(DataSource dataSource, long timeoutMillis) throws SQLException {
        BorrowDeadline deadline = new BorrowDeadline(Thread.currentThread());
        ScheduledFuture<?> timerTask = timer.schedule(deadline, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            if (deadline.finish()) {
                throw new NoConnectionInTime(timeoutMillis, e);
            }
            throw e;
        } finally {
            timerTask.cancel(false);
            deadline.finish();
        }
    }

    /**
     * Whether the database stopped the statement at the server-side bound the guard set, which fires at the same
     * moment as the agent's own cancel and may come first: PostgreSQL's query_canceled (SQLSTATE 57014), MariaDB's
     * max_statement_time (1969), MySQL's MAX_EXECUTION_TIME (3024).
     */
    static boolean stoppedByTheServer(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                SQLException e = (SQLException) cause;
                if ("57014".equals(e.getSQLState()) || e.getErrorCode() == 1969 || e.getErrorCode() == 3024) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The pool gave no connection before the borrow's deadline; its message is the agent's own, nothing to redact. */
    static final class NoConnectionInTime extends SQLException {
        NoConnectionInTime(long timeoutMillis, SQLException cause) {
            super("no connection from the pool within " + timeoutMillis + " ms; the application may be using all "
                    + "of them (" + Log.describe(cause) + ")", cause);
        }
    }

    /** Interrupts a thread still waiting for a connection when the deadline passes; never afterwards. */
    private static final class BorrowDeadline implements Runnable {
        private final Thread thread;
        private boolean waiting = true;
        private boolean fired;

        BorrowDeadline(Thread thread) {
            this.thread = thread;
        }

        @Override
        public synchronized void run() {
            if (waiting) {
                fired = true;
                thread.interrupt();
            }
        }

        /** Called by the borrowing thread: ends the deadline and clears its interrupt; true if it fired. */
        synchronized boolean finish() {
            if (waiting) {
                waiting = false;
                if (fired) {
                    Thread.interrupted();
                }
            }
            return fired;
        }
    }

    private MappedRows execute(Connection connection, QuerySpec query, AtomicBoolean timedOut)
            throws SQLException, ColumnPlan.Mismatch, Refused {
        SessionGuard guard = SessionGuard.of(connection);
        Verdict verdict = guard.check(query.sql(), query.allowAnySql());
        if (!verdict.passed()) {
            throw new Refused(verdict.problem());
        }
        boolean wasReadOnly = connection.isReadOnly();
        boolean wasAutoCommit = connection.getAutoCommit();
        int networkTimeout = boundNetwork(connection, query);
        Object sessionBefore = null;
        try {
            // Read-only first: some drivers refuse to change it once a transaction is open.
            trySetReadOnly(connection, true, query);
            if (wasAutoCommit) {
                connection.setAutoCommit(false);
            }
            sessionBefore = guard.before(connection, query.timeoutMillis());
            Statement statement = connection.createStatement();
            StatementCancel cancel = new StatementCancel(statement, query, timedOut);
            try {
                // JDBC escapes ({call ...}, {fn ...}) would be rewritten by the driver after the check.
                statement.setEscapeProcessing(false);
                statement.setQueryTimeout((int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, (query.timeoutMillis() + 999) / 1000)));
                // Rows come in batches (a cursor on PostgreSQL, as auto-commit is off) so a huge result never sits
                // in the host's memory whole.
                statement.setFetchSize(FETCH_SIZE);
                cancel.schedule(timer, cancels);
                ResultSet rs = statement.executeQuery(guard.toRun(verdict, query.timeoutMillis()));
                MappedRows mapped;
                try {
                    mapped = RowMapper.map(query, rs);
                } finally {
                    rs.close();
                }
                if (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                    throw new Refused("the driver returned more than one result; the statement must be one query");
                }
                return mapped;
            } finally {
                cancel.disarm();
                statement.close();
            }
        } finally {
            List<String> undone = restore(connection, wasReadOnly, wasAutoCommit, guard, sessionBefore, query);
            if (networkTimeout >= 0) {
                trySetNetworkTimeout(connection, networkTimeout, query);
            }
            if (!undone.isEmpty()) {
                throw new Refused("the query left " + join(undone) + " on the application's connection; the agent "
                        + "undid it. Remove what does that from the query");
            }
        }
    }

    /** A query the statement check or the guard refused; it reports as a failed run and is never retried sooner. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A cut network path leaves a socket read waiting for a reply that never comes, and a cancel cannot reach the
     * server either; the network timeout makes the driver give up (and the pool discard the connection). Returns
     * the previous timeout to restore, or -1 when the driver has none.
     */
    private int boundNetwork(Connection connection, QuerySpec query) {
        try {
            int previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(cancels, (int) Math.min(Integer.MAX_VALUE,
                    query.timeoutMillis() + NETWORK_GRACE_MILLIS));
            return previous;
        } catch (Throwable t) { // SQLFeatureNotSupportedException, or AbstractMethodError from a JDBC 4.0 driver
            Log.debug("query " + query.id() + ": no network timeout: " + Log.describe(t));
            return -1;
        }
    }

    private void trySetNetworkTimeout(Connection connection, int millis, QuerySpec query) {
        try {
            connection.setNetworkTimeout(cancels, millis);
        } catch (Throwable t) {
            Log.debug("query " + query.id() + ": restoring the network timeout failed: " + Log.describe(t));
        }
    }

    /**
     * Rolls back whatever the query left open, undoes the session state it left, and puts the connection back as the
     * pool lent it. Returns what had to be undone.
     */
    private static List<String> restore(Connection connection, boolean readOnly, boolean autoCommit,
                                        SessionGuard guard, Object sessionBefore, QuerySpec query) {
        List<String> undone = new ArrayList<String>();
        try {
            connection.rollback();
            undone.addAll(guard.after(connection, sessionBefore));
            connection.rollback();
        } catch (Throwable t) {
            Log.debug("query " + query.id() + ": rollback or session clean-up failed: " + Log.describe(t));
        }
        try {
            if (autoCommit) {
                connection.setAutoCommit(true);
            }
        } catch (Throwable t) {
            Log.debug("query " + query.id() + ": restoring auto-commit failed: " + Log.describe(t));
        }
        trySetReadOnly(connection, readOnly, query);
        return undone;
    }

    private static String join(List<String> parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            text.append(text.length() == 0 ? "" : ", ").append(part);
        }
        return text.toString();
    }

    /**
     * Cancels a statement that runs past its timeout, and never after it finished: once the connection is back in
     * the pool a late cancel could hit the application's own statement.
     */
    private static final class StatementCancel implements Runnable {
        private final Statement statement;
        private final QuerySpec query;
        private final AtomicBoolean timedOut;
        private boolean armed = true;
        private ScheduledFuture<?> timerTask;

        StatementCancel(Statement statement, QuerySpec query, AtomicBoolean timedOut) {
            this.statement = statement;
            this.query = query;
            this.timedOut = timedOut;
        }

        void schedule(ScheduledExecutorService timer, final Executor cancels) {
            timerTask = timer.schedule(new Runnable() {
                @Override
                public void run() {
                    cancels.execute(StatementCancel.this);
                }
            }, query.timeoutMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void run() {
            if (!armed) {
                return;
            }
            timedOut.set(true);
            try {
                statement.cancel();
            } catch (Throwable t) {
                Log.debug("query " + query.id() + ": cancel failed: " + Log.describe(t));
            }
        }

        /** Waits for a cancel under way, so none can follow the statement's close. */
        synchronized void disarm() {
            armed = false;
            if (timerTask != null) {
                timerTask.cancel(false);
            }
        }
    }

    /** Some drivers refuse read-only inside a transaction or altogether; the rollback still keeps writes out. */
    private static void trySetReadOnly(Connection connection, boolean readOnly, QuerySpec query) {
        try {
            if (connection.isReadOnly() != readOnly) {
                connection.setReadOnly(readOnly);
            }
        } catch (SQLException e) {
            Log.debug("query " + query.id() + ": setReadOnly(" + readOnly + ") refused: " + Log.describe(e));
        }
    }

    private static void closeQuietly(Connection connection, QuerySpec query) {
        try {
            connection.close();
        } catch (Throwable t) {
            Log.warn("query " + query.id() + ": returning the connection to the pool failed: " + Log.describe(t));
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
