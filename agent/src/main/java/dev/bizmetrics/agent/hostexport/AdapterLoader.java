package dev.bizmetrics.agent.hostexport;

import dev.bizmetrics.agent.instrument.ClassBytes;

import java.io.IOException;
import java.io.InputStream;

/**
 * A class loader for one adapter, child of the loader of the host's registry class: the adapter's references to the
 * host's client ({@code io.prometheus...}) resolve there, its references to the JDK anywhere, and nothing of the
 * agent's relocated client is in reach. The adapter's class file is read from the agent jar's {@code .bin} resource
 * (see the host-adapters module), never loaded by the agent's own loader.
 */
final class AdapterLoader extends ClassLoader {

    static final String CLIENT_JAVA = "dev.bizmetrics.hostadapter.ClientJavaCollector";
    static final String SIMPLECLIENT = "dev.bizmetrics.hostadapter.SimpleclientCollector";

    private AdapterLoader(ClassLoader hostLoader) {
        super(hostLoader);
    }

    /** Defines the adapter {@code className} under {@code hostLoader}. */
    static Class<?> define(ClassLoader hostLoader, String className) throws IOException {
        byte[] classFile = read(className);
        return new AdapterLoader(hostLoader).defineClass(className, classFile, 0, classFile.length);
    }

    private static byte[] read(String className) throws IOException {
        String resource = "adapters/" + className.substring(className.lastIndexOf('.') + 1) + ".bin";
        InputStream in = AdapterLoader.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("the agent jar has no " + resource + "; build it again");
        }
        return ClassBytes.readAll(in);
    }
}
