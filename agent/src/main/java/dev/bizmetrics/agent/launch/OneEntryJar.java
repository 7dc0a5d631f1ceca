package dev.bizmetrics.agent.launch;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * A jar (zip) file holding one stored entry, written by hand for {@code premain}: {@code ZipOutputStream} stamps
 * every entry with the current time, and turning that into a zip timestamp loads the time-zone database, which costs
 * the host's start-up more than this whole class. The entry gets a fixed timestamp (1 January 2020, 00:00).
 */
final class OneEntryJar {

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final short VERSION = 10;
    private static final short STORED = 0;
    private static final short DOS_TIME = 0;
    private static final short DOS_DATE = (2020 - 1980) << 9 | 1 << 5 | 1;

    private OneEntryJar() {
    }

    static void write(File file, String entryName, byte[] content) throws IOException {
        OutputStream out = new FileOutputStream(file);
        try {
            out.write(bytes(entryName, content));
        } finally {
            out.close();
        }
    }

    static byte[] bytes(String entryName, byte[] content) {
        byte[] name = entryName.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(content, 0, content.length);
        int checksum = (int) crc.getValue();
        ByteBuffer out = ByteBuffer.allocate(30 + name.length + content.length + 46 + name.length + 22)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(LOCAL_HEADER).putShort(VERSION).putShort((short) 0).putShort(STORED)
                .putShort(DOS_TIME).putShort(DOS_DATE).putInt(checksum).putInt(content.length).putInt(content.length)
                .putShort((short) name.length).putShort((short) 0).put(name).put(content);
        int centralDirectory = out.position();
        out.putInt(CENTRAL_HEADER).putShort(VERSION).putShort(VERSION).putShort((short) 0).putShort(STORED)
                .putShort(DOS_TIME).putShort(DOS_DATE).putInt(checksum).putInt(content.length).putInt(content.length)
                .putShort((short) name.length).putShort((short) 0).putShort((short) 0) // extra field, comment
                .putShort((short) 0).putShort((short) 0).putInt(0) // disk, internal and external attributes
                .putInt(0).put(name); // offset of the local header
        int centralDirectorySize = out.position() - centralDirectory;
        out.putInt(END_OF_CENTRAL_DIRECTORY).putShort((short) 0).putShort((short) 0)
                .putShort((short) 1).putShort((short) 1).putInt(centralDirectorySize).putInt(centralDirectory)
                .putShort((short) 0);
        return out.array();
    }
}
