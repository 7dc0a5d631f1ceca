package dev.bizmetrics.testhosts.jndi;

import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.OperationNotSupportedException;
import javax.naming.spi.InitialContextFactory;
import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's own JNDI provider, as a container would install one: set with
 * {@code -Djava.naming.factory.initial=dev.bizmetrics.testhosts.jndi.MapContextFactory}; names are bound by the
 * application with {@link #bind}.
 */
public final class MapContextFactory implements InitialContextFactory {

    private static final Map<String, Object> NAMES = new ConcurrentHashMap<>();

    public static void bind(String name, Object value) {
        NAMES.put(name, value);
    }

    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
        return (Context) Proxy.newProxyInstance(MapContextFactory.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "lookup" -> {
                        String name = args[0].toString();
                        Object value = NAMES.get(name);
                        if (value == null) {
                            throw new NameNotFoundException(name + " is not bound");
                        }
                        yield value;
                    }
                    case "close" -> null;
                    case "getEnvironment" -> new Hashtable<>(environment);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "MapContext";
                    default -> throw new OperationNotSupportedException(method.getName());
                });
    }
}
