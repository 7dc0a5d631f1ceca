package dev.bizmetrics.agent.config;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the configuration file, which must be a regular file of at most {@value #MAX_BYTES} bytes, checked before
 * anything is read: a FIFO or device would hang the reader, and a huge file (appended to by mistake, or a log
 * written to the wrong path) would take the host's heap. The read itself stops past the limit too, for a file that
 * grows between the check and the read.
 */
final class ConfigFile {

    static final int MAX_BYTES = 1024 * 1024;

    /** Why the file cannot be used; the message completes "cannot read the configuration (...)". */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    private ConfigFile() {
    }

    static byte[] read(File file) throws Unreadable {
        Path path = file.toPath();
        if (!Files.exists(path)) {
            throw new Unreadable("no such file");
        }
        if (Files.isDirectory(path)) {
            throw new Unreadable("it is a directory");
        }
        if (!Files.isRegularFile(path)) {
            throw new Unreadable("it is not a regular file, but a FIFO, socket or device");
        }
        if (!Files.isReadable(path)) {
            throw new Unreadable("permission denied");
        }
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw tooLarge(size);
            }
            InputStream in = Files.newInputStream(path);
            try {
                byte[] buffer = new byte[(int) Math.max(size, 1024) + 1];
                int length = 0;
                for (int n; (n = in.read(buffer, length, buffer.length - length)) > 0; ) {
                    length += n;
                    if (length == buffer.length) {
                        if (length > MAX_BYTES) {
                            throw tooLarge(length);
                        }
                        buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_BYTES + 1));
                    }
                }
                return Arrays.copyOf(buffer, length);
            } finally {
                in.close();
            }
        } catch (NoSuchFileException e) {
            throw new Unreadable("no such file");
        } catch (IOException e) {
            throw new Unreadable(e.toString());
        }
    }

    private static Unreadable tooLarge(long bytes) {
        return new Unreadable("it is " + (bytes > MAX_BYTES + 1 ? bytes + " bytes" : "more than " + MAX_BYTES
                + " bytes") + ", more than the 1 MiB a configuration may have; is it the right file?");
    }
}
