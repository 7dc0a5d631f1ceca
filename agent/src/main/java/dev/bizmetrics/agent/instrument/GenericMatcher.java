package dev.bizmetrics.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For {@code discovery.generic=true}: tells from a class file whether the class implements
 * {@code javax.sql.DataSource}, without loading any class. A class matches when one of its interfaces is
 * {@code javax.sql.DataSource} or extends it (an interface not known yet is read as a resource from the class's
 * loader, once per name), or when its superclass is already known to implement it. A superclass that is not known
 * yet is not read: it is loaded right after its first subclass, matches then itself, and its constructors report
 * the subclass's instances.
 *
 * <p>The JDK's packages, Byte Buddy's and the agent's own are never looked at.
 */
final class GenericMatcher {

    static final String DATA_SOURCE = "javax/sql/DataSource";

    static final String[] IGNORED_PREFIXES = {"java/", "javax/", "jdk/", "sun/", "com/sun/",
        "net/bytebuddy/", "dev/bizmetrics/agent/", "dev/bizmetrics/bootstrap/"};
    private static final int MAX_INTERFACE_DEPTH = 6;
    /** Past this many names the negative cache stops growing; a lookup then costs a resource read again. */
    private static final int MAX_NEGATIVES = 50000;

    /** Internal names of types known to be, extend or implement {@code javax.sql.DataSource}. */
    private final Set<String> dataSourceTypes = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());
    /** Internal names of interfaces read and found not to extend it. */
    private final Set<String> otherInterfaces = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    private final String[] ignoredPrefixes;

    GenericMatcher(Collection<String> knownImplementations) {
        this(knownImplementations, IGNORED_PREFIXES);
    }

    /** @param ignoredPrefixes internal-name prefixes of packages never looked at (tests give their own) */
    GenericMatcher(Collection<String> knownImplementations, String[] ignoredPrefixes) {
        this.ignoredPrefixes = ignoredPrefixes.clone();
        dataSourceTypes.add(DATA_SOURCE);
        dataSourceTypes.addAll(knownImplementations);
    }

    boolean isIgnored(String internalName) {
        return startsWithAny(internalName, ignoredPrefixes);
    }

    private static boolean startsWithAny(String internalName, String[] prefixes) {
        for (String prefix : prefixes) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a loaded type (found by {@code isAssignableFrom}) so that classes extending it match. */
    void learn(String internalName) {
        dataSourceTypes.add(internalName);
    }

    /** True for a class (not an interface) outside the ignored packages that implements DataSource. */
    boolean matches(ClassLoader loader, String internalName, byte[] classFile) {
        if (isIgnored(internalName)) {
            return false;
        }
        ClassReader reader = new ClassReader(classFile);
        boolean dataSource = dataSourceTypes.contains(reader.getSuperName());
        for (String type : reader.getInterfaces()) {
            if (dataSource) {
                break;
            }
            dataSource = isDataSourceInterface(loader, type, 0);
        }
        if (!dataSource) {
            return false;
        }
        dataSourceTypes.add(internalName);
        return (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0;
    }

    private boolean isDataSourceInterface(ClassLoader loader, String type, int depth) {
        if (dataSourceTypes.contains(type)) {
            return true;
        }
        if (loader == null || depth >= MAX_INTERFACE_DEPTH || isIgnored(type) || otherInterfaces.contains(type)) {
            return false;
        }
        boolean dataSource = false;
        try {
            ClassReader reader = new ClassReader(ClassBytes.read(loader, type.replace('/', '.')));
            for (String parent : reader.getInterfaces()) {
                if (isDataSourceInterface(loader, parent, depth + 1)) {
                    dataSource = true;
                    break;
                }
            }
        } catch (Throwable t) {
            // not readable from here: treated as not a DataSource
        }
        if (dataSource) {
            dataSourceTypes.add(type);
        } else if (otherInterfaces.size() < MAX_NEGATIVES) {
            otherInterfaces.add(type);
        }
        return dataSource;
    }
}
