package dev.bizmetrics.agent.fleet;

import java.lang.reflect.Method;
import java.sql.Connection;

/**
 * The backend pid pgjdbc got in the server's BackendKeyData when it connected
 * ({@code org.postgresql.PGConnection#getBackendPID()}). Behind a proxy it is the proxy's (PgBouncer sends a random
 * one), so it differs from {@code pg_backend_pid()}. pgjdbc is the host's, not ours: reached by method name, through
 * the pool's {@code unwrap}, and never an error when it is not there.
 */
final class PgDriver {

    private static final String PG_CONNECTION = "org.postgresql.PGConnection";
    private static final String METHOD = "getBackendPID";

    private PgDriver() {
    }

    /** The pid the driver knows, or 0 when the driver is not pgjdbc, a wrapper hides it, or it says 0 itself. */
    static int backendPid(Connection connection) {
        Integer pid = invoke(connection);
        if (pid == null) {
            pid = invoke(unwrapped(connection));
        }
        if (pid == null) {
            pid = invoke(unwrappedAs(connection, PG_CONNECTION));
        }
        return pid == null ? 0 : pid.intValue();
    }

    /** What the pool wraps: HikariCP and most pools hand out their delegate for {@code unwrap(Connection.class)}. */
    private static Object unwrapped(Connection connection) {
        try {
            return connection.unwrap(Connection.class);
        } catch (Exception e) {
            return null;
        } catch (LinkageError e) {
            return null;
        }
    }

    /** Pools that answer {@code unwrap(Connection.class)} with themselves (DBCP) unwrap to the driver's interface. */
    private static Object unwrappedAs(Connection connection, String interfaceName) {
        try {
            ClassLoader loader = connection.getClass().getClassLoader();
            Class<?> type = Class.forName(interfaceName, false, loader);
            return connection.isWrapperFor(type) ? connection.unwrap(type) : null;
        } catch (Exception e) {
            return null;
        } catch (LinkageError e) {
            return null;
        }
    }

    /** getBackendPID() through a public interface of the object's class, so that a non-public class is no obstacle. */
    private static Integer invoke(Object target) {
        if (target == null) {
            return null;
        }
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            for (Class<?> face : type.getInterfaces()) {
                Integer pid = invoke(target, face);
                if (pid != null) {
                    return pid;
                }
            }
        }
        return null;
    }

    private static Integer invoke(Object target, Class<?> face) {
        try {
            Method method = face.getMethod(METHOD);
            if (method.getReturnType() != int.class) {
                return null;
            }
            return (Integer) method.invoke(target);
        } catch (Exception e) {
            return null; // not this interface's method, or not accessible
        } catch (LinkageError e) {
            return null;
        }
    }
}
