package dev.bizmetrics.agent.pools;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A getter chain such as {@code getDataSourceProperties.url}, {@code getHikariPoolMXBean.getActiveConnections} or
 * {@code field:pool.getActive}, split once and read by reflection on the runtime class of each step; a step
 * {@code [a.b.Class]} picks the first element of that class from an array or {@link Iterable}. The members a
 * step resolves to are cached per class in a {@link ClassValue}, which the class itself holds: the cache goes with
 * the host's class loader and keeps none alive. Reading one is a map look-up and a {@link Method#invoke} a step.
 */
public final class GetterPath {

    private static final String FIELD_PREFIX = "field:";
    private static final Object[] NO_ARGS = new Object[0];
    /** Cached for a step a class has no member for. */
    private static final Object MISSING = new Object();

    private static final ClassValue<ConcurrentHashMap<String, Object>> MEMBERS =
            new ClassValue<ConcurrentHashMap<String, Object>>() {
                @Override
                protected ConcurrentHashMap<String, Object> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<String, Object>(8);
                }
            };

    private final String path;
    private final String[] steps;

    private GetterPath(String path) {
        this.path = path;
        this.steps = split(path);
    }

    /** The steps between the dots, a {@code [a.b.Class]} step whole. */
    private static String[] split(String path) {
        List<String> steps = new ArrayList<String>();
        int start = 0;
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                steps.add(path.substring(start, i));
                start = i + 1;
            }
        }
        steps.add(path.substring(start));
        return steps.toArray(new String[0]);
    }

    public static GetterPath of(String path) {
        return new GetterPath(path);
    }

    /** The paths, compiled; touches no class. */
    static GetterPath[] all(String[] paths) {
        GetterPath[] compiled = new GetterPath[paths.length];
        for (int i = 0; i < paths.length; i++) {
            compiled[i] = of(paths[i]);
        }
        return compiled;
    }

    public String path() {
        return path;
    }

    /**
     * The value at the end of the chain; null when a step is null or a class has no such getter or field. A step on
     * a {@link Properties} or {@link Map} looks its key up (a {@code get...} step on one gives null). Throws what
     * the host's getter throws, unwrapped from {@link InvocationTargetException}.
     */
    public Object readOrThrow(Object instance) throws Throwable {
        Object current = instance;
        for (String step : steps) {
            if (current == null) {
                return null;
            }
            if (step.startsWith("[")) {
                current = element(current, step.substring(1, step.length() - 1));
                continue;
            }
            if (!step.startsWith(FIELD_PREFIX) && (current instanceof Properties || current instanceof Map)) {
                if (step.startsWith("get")) {
                    return null;
                }
                current = current instanceof Properties ? ((Properties) current).getProperty(step)
                        : ((Map<?, ?>) current).get(step);
                continue;
            }
            Object member = member(current.getClass(), step);
            try {
                if (member instanceof Method) {
                    current = ((Method) member).invoke(current, NO_ARGS);
                } else if (member instanceof Field) {
                    current = ((Field) member).get(current);
                } else {
                    return null;
                }
            } catch (InvocationTargetException e) {
                throw e.getCause() == null ? e : e.getCause();
            }
        }
        return current;
    }

    /** The first element of an array or {@link Iterable} whose class is {@code className}; null when none is. */
    private static Object element(Object container, String className) {
        Iterable<?> elements = container instanceof Object[] ? Arrays.asList((Object[]) container)
                : container instanceof Iterable ? (Iterable<?>) container : null;
        if (elements != null) {
            for (Object element : elements) {
                if (element != null && element.getClass().getName().equals(className)) {
                    return element;
                }
            }
        }
        return null;
    }

    /** What {@link #readOrThrow} reads, or null when it throws. */
    public Object read(Object instance) {
        try {
            return readOrThrow(instance);
        } catch (Throwable t) {
            return null;
        }
    }

    @Override
    public String toString() {
        return path;
    }

    /** The cached member a step names on a class: a {@link Method}, a {@link Field} or {@link #MISSING}. */
    private static Object member(Class<?> type, String step) {
        ConcurrentHashMap<String, Object> members = MEMBERS.get(type);
        Object member = members.get(step);
        if (member == null) {
            member = resolve(type, step);
            members.put(step, member);
        }
        return member;
    }

    private static Object resolve(Class<?> type, String step) {
        Object found = step.startsWith(FIELD_PREFIX) ? field(type, step.substring(FIELD_PREFIX.length()))
                : publicMethod(type, step);
        return found == null ? MISSING : found;
    }

    /**
     * A no-argument public method callable from here: found on the class when the class is public, else on a
     * public interface or superclass it implements (configuration objects are often package-private classes
     * behind public interfaces). Null when there is none.
     */
    static Method publicMethod(Class<?> type, String name) {
        Method method;
        try {
            method = type.getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (Throwable t) {
            // a class whose signatures name classes its loader cannot load
            return null;
        }
        if (Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
            return method;
        }
        Method viaSupertype = onPublicSupertype(type, name);
        if (viaSupertype != null) {
            return viaSupertype;
        }
        try {
            method.setAccessible(true);
            return method;
        } catch (Throwable t) {
            return null;
        }
    }

    private static Method onPublicSupertype(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c != type && Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name);
                } catch (NoSuchMethodException ignored) {
                    // not on this one
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                Method found = onInterface(i, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Method onInterface(Class<?> type, String name) {
        if (Modifier.isPublic(type.getModifiers())) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException ignored) {
                // look in its super-interfaces
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            Method found = onInterface(i, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** A field of the class or a superclass, made accessible; null when there is none or it cannot be. */
    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException ignored) {
                // look in the superclass
            } catch (Throwable t) {
                return null;
            }
        }
        return null;
    }
}
