package dev.bizmetrics.agent.discovery;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NoInitialContextException;
import javax.naming.spi.InitialContextFactory;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JNDI provider that, like a container's {@code java:comp/env}, answers only for the application's class loader:
 * a context class loader that is a {@link AppLoader}; any other gets {@code NoInitialContextException}.
 */
public final class MarkerContextFactory implements InitialContextFactory {

    static final Map<String, Object> NAMES = new ConcurrentHashMap<>();

    /** Stands for the application's class loader. */
    static final class AppLoader extends ClassLoader {
        AppLoader() {
            super(MarkerContextFactory.class.getClassLoader());
        }
    }

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) throws NoInitialContextException {
        if (!(Thread.currentThread().getContextClassLoader() instanceof AppLoader)) {
            throw new NoInitialContextException("not the application's class loader");
        }
        return (Context) Proxy.newProxyInstance(MarkerContextFactory.class.getClassLoader(),
                new Class<?>[] {Context.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "lookup" -> {
                        Object value = NAMES.get(args[0].toString());
                        if (value == null) {
                            throw new NameNotFoundException(args[0] + " is not bound");
                        }
                        yield value;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
