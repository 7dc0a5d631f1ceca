package dev.bizmetrics.agent.instrument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a class file as a resource, without loading the class. */
public final class ClassBytes {

    private ClassBytes() {
    }

    public static byte[] read(ClassLoader loader, String className) throws IOException {
        String resource = className.replace('.', '/') + ".class";
        InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("class file " + resource + " not found");
        }
        return readAll(in);
    }

    /** Reads the stream to its end and closes it. */
    public static byte[] readAll(InputStream in) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }
}
