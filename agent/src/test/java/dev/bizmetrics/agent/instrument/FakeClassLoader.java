package dev.bizmetrics.agent.instrument;

import java.nio.ByteBuffer;
import java.security.ProtectionDomain;

/**
 * Has the two methods of {@code java.lang.ClassLoader} that get the definition hook, and keeps what they were called
 * with instead of defining a class.
 */
public class FakeClassLoader {

    public byte[] bytes;
    public int off;
    public int len;
    public ByteBuffer buffer;

    public void define(String name, byte[] b, int off, int len) {
        defineClass(name, b, off, len, null);
    }

    public void define(String name, ByteBuffer b) {
        defineClass(name, b, null);
    }

    protected final Class<?> defineClass(String name, byte[] b, int off, int len, ProtectionDomain protectionDomain) {
        this.bytes = b;
        this.off = off;
        this.len = len;
        return null;
    }

    protected final Class<?> defineClass(String name, ByteBuffer b, ProtectionDomain protectionDomain) {
        this.buffer = b;
        return null;
    }
}
