package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.instrument.ClassBytes;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Puts {@code DataSourceRegistry} on the bootstrap class path, so that hooks woven into classes of any class loader
 * reach one and the same registry. Only that one class goes there, in a small temporary jar: the rest of the agent
 * stays invisible to the boot loader.
 */
final class BootstrapInjector {

    private static final String REGISTRY_CLASS = "dev.bizmetrics.bootstrap.DataSourceRegistry";
    private static final String REGISTRY_ENTRY = REGISTRY_CLASS.replace('.', '/') + ".class";

    private BootstrapInjector() {
    }

    /** Appends the registry to the bootstrap search path unless an earlier start already did. */
    static void inject(Instrumentation instrumentation) throws IOException {
        if (onBootstrapPath()) {
            return;
        }
        File jar = newTempFile();
        OneEntryJar.write(jar, REGISTRY_ENTRY, registryClassFile());
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        if (!onBootstrapPath()) {
            throw new IOException("the bootstrap class path did not take " + jar);
        }
    }

    /**
     * The registry's class file, read as a file, not loaded: loading it here would give the agent a copy apart from
     * the hooks' one. Read from the agent jar directly, as the class loader's resource lookup first searches every
     * module of the JDK (milliseconds in premain); as a resource when the agent does not run from a jar (its tests).
     */
    private static byte[] registryClassFile() throws IOException {
        File ownJar = Attacher.ownJar();
        if (ownJar == null) {
            return ClassBytes.read(BootstrapInjector.class.getClassLoader(), REGISTRY_CLASS);
        }
        JarFile jar = new JarFile(ownJar);
        try {
            ZipEntry entry = jar.getEntry(REGISTRY_ENTRY);
            if (entry == null) {
                throw new IOException(ownJar + " has no " + REGISTRY_ENTRY + "; the agent jar is damaged, build it again");
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

    private static boolean onBootstrapPath() {
        try {
            Class.forName(REGISTRY_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
