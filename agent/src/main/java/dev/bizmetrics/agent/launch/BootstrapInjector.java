package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.instrument.ClassBytes;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Puts {@code DataSourceRegistry} and {@code HostRegistries} on the bootstrap class path, so that hooks woven into classes of any class loader
 * reach one and the same registry. Only those two classes go there, each in a small temporary jar: the rest of the agent
 * stays invisible to the boot loader.
 */
final class BootstrapInjector {

    private static final String REGISTRY_CLASS = "dev.bizmetrics.bootstrap.DataSourceRegistry";
    /** Where the application's Prometheus registries report to and the adapters read from (export.host-registry). */
    private static final String HOST_REGISTRIES_CLASS = "dev.bizmetrics.bootstrap.HostRegistries";

    private BootstrapInjector() {
    }

    /** Appends the registry to the bootstrap search path unless an earlier start already did. */
    static void inject(Instrumentation instrumentation) throws IOException {
        inject(instrumentation, REGISTRY_CLASS);
        inject(instrumentation, HOST_REGISTRIES_CLASS);
    }

    private static void inject(Instrumentation instrumentation, String className) throws IOException {
        if (onBootstrapPath(className)) {
            return;
        }
        File jar = newTempFile();
        OneEntryJar.write(jar, entry(className), classFile(className));
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        if (!onBootstrapPath(className)) {
            throw new IOException("the bootstrap class path did not take " + jar);
        }
    }

    private static String entry(String className) {
        return className.replace('.', '/') + ".class";
    }

    /**
     * The registry's class file, read as a file, not loaded: loading it here would give the agent a copy apart from
     * the hooks' one. Read from the agent jar directly, as the class loader's resource lookup first searches every
     * module of the JDK (milliseconds in premain); as a resource when the agent does not run from a jar (its tests).
     */
    private static byte[] classFile(String className) throws IOException {
        File ownJar = Attacher.ownJar();
        if (ownJar == null) {
            return ClassBytes.read(BootstrapInjector.class.getClassLoader(), className);
        }
        JarFile jar = new JarFile(ownJar);
        try {
            ZipEntry entry = jar.getEntry(entry(className));
            if (entry == null) {
                throw new IOException(ownJar + " has no " + entry(className) + "; the agent jar is damaged, build it again");
            }
            return ClassBytes.readAll(jar.getInputStream(entry));
        } finally {
            jar.close();
        }
    }

    /**
     * A new file in the temporary directory, deleted when the JVM exits. Not {@code File.createTempFile}: it seeds a
     * {@code SecureRandom}, which loads the security providers in the host's {@code premain}. The name need not be
     * secret: {@code createNewFile} creates it exclusively or fails, and then the next name is tried.
     */
    private static File newTempFile() throws IOException {
        File directory = new File(System.getProperty("java.io.tmpdir"));
        String stem = "bizmetrics-bootstrap-" + Long.toHexString(System.nanoTime());
        String problem = "every name tried was taken";
        for (int attempt = 0; attempt < 100; attempt++) {
            File file = new File(directory, stem + "-" + attempt + ".jar");
            try {
                if (file.createNewFile()) {
                    file.deleteOnExit();
                    return file;
                }
            } catch (IOException e) {
                problem = e.getMessage();
                break;
            }
        }
        throw new IOException("cannot create a file in the temporary directory " + directory + " (" + problem
                + "); make it writable or point -Djava.io.tmpdir at one that is");
    }

    private static boolean onBootstrapPath(String className) {
        try {
            Class.forName(className, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
