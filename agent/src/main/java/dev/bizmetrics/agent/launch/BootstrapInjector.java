package dev.bizmetrics.agent.launch;

import dev.bizmetrics.agent.instrument.ClassBytes;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Puts {@code DataSourceRegistry} on the bootstrap class path, so that hooks woven into classes of any class loader
 * reach one and the same registry. Only that one class goes there, in a small temporary jar: the rest of the agent
 * stays invisible to the boot loader.
 */
final class BootstrapInjector {

    private static final String REGISTRY_CLASS = "dev.bizmetrics.bootstrap.DataSourceRegistry";

    private BootstrapInjector() {
    }

    /** Appends the registry to the bootstrap search path unless an earlier start already did. */
    static void inject(Instrumentation instrumentation) throws IOException {
        if (onBootstrapPath()) {
            return;
        }
        File jar = File.createTempFile("bizmetrics-bootstrap-", ".jar");
        jar.deleteOnExit();
        String entryName = REGISTRY_CLASS.replace('.', '/') + ".class";
        // Read as a resource: loading the class here first would give the agent a copy apart from the hooks' one.
        byte[] classFile = ClassBytes.read(BootstrapInjector.class.getClassLoader(), REGISTRY_CLASS);
        ZipOutputStream out = new ZipOutputStream(new FileOutputStream(jar));
        try {
            out.putNextEntry(new ZipEntry(entryName));
            out.write(classFile);
            out.closeEntry();
        } finally {
            out.close();
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
        if (!onBootstrapPath()) {
            throw new IOException("the bootstrap class path did not take " + jar);
        }
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
