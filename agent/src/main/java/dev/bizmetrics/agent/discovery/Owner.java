package dev.bizmetrics.agent.discovery;


import java.lang.reflect.Method;

/**
 * Who a DataSource belongs to in a container, read from the class loader that was the context class loader when
 * the application created it: the web application's context path (Tomcat: {@code /shop}, {@code /} for the root
 * application) and the loader's name (Java 9's {@code ClassLoader.getName()}, WildFly's {@code deployment.shop.war},
 * else Tomcat's context name, else the loader's class). Immutable; holds no loader.
 */
final class Owner {

    static final Owner NONE = new Owner("", "");

    /**
     * Tomcat's web application loader: its resources' context (a protected field since Tomcat 10, a public getter
     * before).
     */
    private static final String[] CONTEXT_PATH_READS = {"field:resources.getContext.getPath",
            "getResources.getContext.getPath"};
    private static final String[] NAME_READS = {"getContextName"};

    private final String contextPath;
    private final String loaderName;

    private Owner(String contextPath, String loaderName) {
        this.contextPath = contextPath;
        this.loaderName = loaderName;
    }

    /** Reads the owner of a loader; calls the host's getters, on the agent's thread only. */
    static Owner of(ClassLoader loader) {
        if (loader == null) {
            return NONE;
        }
        String path = null;
        for (String read : CONTEXT_PATH_READS) {
            Object value = DataSourceDescriber.read(loader, read);
            if (value instanceof String) {
                path = ((String) value).isEmpty() ? "/" : (String) value;
                break;
            }
        }
        return new Owner(path == null ? "" : path, nameOf(loader));
    }

    private static String nameOf(ClassLoader loader) {
        String name = javaName(loader);
        if (name == null) {
            for (String read : NAME_READS) {
                Object value = DataSourceDescriber.read(loader, read);
                if (value instanceof String && !((String) value).isEmpty()) {
                    name = (String) value;
                    break;
                }
            }
        }
        return name != null ? name : loader.getClass().getSimpleName();
    }

    /** {@code ClassLoader.getName()}, which Java 9 added; null on Java 8 or when the loader has no name. */
    private static String javaName(ClassLoader loader) {
        try {
            Method getName = ClassLoader.class.getMethod("getName");
            Object name = getName.invoke(loader);
            return name instanceof String && !((String) name).isEmpty() ? (String) name : null;
        } catch (Throwable t) {
            return null;
        }
    }

    /** The web application's context path ({@code /shop}, {@code /} for the root one), or "" outside one. */
    String contextPath() {
        return contextPath;
    }

    /** The owner's class loader's name, or "" when unknown. */
    String loaderName() {
        return loaderName;
    }
}
