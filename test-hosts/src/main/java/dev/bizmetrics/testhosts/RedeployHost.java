package dev.bizmetrics.testhosts;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;

/**
 * The web-app redeploy case: a HikariCP pool whose classes come from a throw-away class loader (child-first for
 * {@code com.zaxxer.hikari}, as a servlet container's web-app loader is), used, then closed and dropped when
 * {@code undeploy} arrives on standard input. Then it runs the GC until the loader is collected and says so:
 * <pre>RedeployHost JDBC_URL</pre>
 * Prints {@code redeploy: deployed}, {@code redeploy: undeployed}, then {@code redeploy: loader collected after N GCs}
 * or {@code redeploy: loader NOT collected}.
 */
public final class RedeployHost {

    /** The "web application": its pool, the only strong reference to it and so to its loader. */
    private static AutoCloseable deployed;

    private RedeployHost() {
    }

    public static void main(String[] args) throws Exception {
        // H2 (shared, in the application class loader) keeps a static SQLException made at its first connection,
        // whose stack trace pins the classes that were calling: open that first connection here, as a container
        // that ships the driver in its common class path does, so that it does not pin the web application.
        java.sql.DriverManager.getConnection(args[0], "sa", "").close();
        WeakReference<ClassLoader> loader = deploy(args[0]);
        System.out.println("redeploy: deployed");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("undeploy"); ) {
            // wait for the test's signal
        }
        undeploy();
        System.out.println("redeploy: undeployed");
        // Long enough for a monitoring agent to try the closed pool once or twice before the first GC.
        Thread.sleep(2500);
        int gcs = 0;
        while (loader.get() != null && gcs < 100) {
            System.gc();
            Thread.sleep(200);
            gcs++;
        }
        System.out.println(loader.get() == null ? "redeploy: loader collected after " + gcs + " GCs"
                : "redeploy: loader NOT collected");
        while (true) {
            Thread.sleep(60_000);
        }
    }

    private static WeakReference<ClassLoader> deploy(String url) throws Exception {
        URL hikari = ClassLoader.getSystemResource("com/zaxxer/hikari/HikariDataSource.class");
        String jar = hikari.toString().substring("jar:".length(), hikari.toString().indexOf("!/"));
        ClassLoader webapp = new WebAppLoader(new URL[] {new URL(jar)}, RedeployHost.class.getClassLoader());
        Class<?> type = webapp.loadClass("com.zaxxer.hikari.HikariDataSource");
        Object pool = type.getConstructor().newInstance();
        type.getMethod("setPoolName", String.class).invoke(pool, "webapp");
        type.getMethod("setJdbcUrl", String.class).invoke(pool, url);
        type.getMethod("setUsername", String.class).invoke(pool, "sa");
        type.getMethod("setPassword", String.class).invoke(pool, "");
        type.getMethod("setMaximumPoolSize", int.class).invoke(pool, 2);
        if (type.getClassLoader() != webapp) {
            throw new IllegalStateException("HikariCP was not loaded by the web-app loader");
        }
        Pools.use((DataSource) pool);
        deployed = (AutoCloseable) pool;
        return new WeakReference<>(webapp);
    }

    private static void undeploy() throws Exception {
        deployed.close();
        ((URLClassLoader) deployed.getClass().getClassLoader()).close();
        deployed = null;
    }

    /** Child-first for HikariCP, parent-first for everything else (the JDBC driver, the JDK). */
    private static final class WebAppLoader extends URLClassLoader {
        WebAppLoader(URL[] urls, ClassLoader parent) {
            super("webapp", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("com.zaxxer.hikari.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
