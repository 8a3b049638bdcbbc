package org.sparkformer.data.source;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * The lines of one text file, read through the Hadoop FileSystem API, decompressed by file extension, decoded with
 * a strict UTF-8 decoder. Unlike Hadoop's line reader nothing is dropped silently: a line that is not valid UTF-8,
 * a line longer than the limit, or a compressed file that ends early each becomes a {@link BadRecord} that is
 * either returned (skip policy) or thrown (fail policy). Line terminators are {@code \n} and {@code \r\n}; a UTF-8
 * byte order mark at the start of the file is removed.
 */
public final class TextFileLines implements Iterator<Outcome<Line>>, AutoCloseable {

    private final String file;
    private final ReadOptions options;
    private final boolean compressed;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream(256);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private final int maxLineBytes;
    private long lineNumber;
    private boolean finished;
    private Outcome<Line> next;

    private TextFileLines(String file, InputStream in, boolean compressed, ReadOptions options) {
        this.file = file;
        this.in = in;
        this.compressed = compressed;
        this.options = options;
        // a Java char needs at most 3 UTF-8 bytes, so more bytes than this is certainly too many chars
        this.maxLineBytes = (int) Math.min(Integer.MAX_VALUE - 8, 3L * options.maxLineChars());
    }

    /** Opens {@code file}; compression is chosen from the file name (.gz, .bz2, ...). */
    public static TextFileLines open(String file, Configuration conf, ReadOptions options) {
        Path path = new Path(file);
        try {
            InputStream raw = path.getFileSystem(conf).open(path);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
            InputStream in = codec == null ? raw : codec.createInputStream(raw);
            return new TextFileLines(file, in, codec != null, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open input file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !finished) {
            next = readLine();
        }
        return next != null;
    }

    @Override
    public Outcome<Line> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Outcome<Line> result = next;
        next = null;
        return result;
    }

    /** The next line's outcome, or null at the end of the file. */
    private Outcome<Line> readLine() {
        lineBytes.reset();
        boolean tooLong = false;
        boolean sawAnything = false;
        try {
            while (true) {
                if (position == limit && !fill()) {
                    finish();
                    if (!sawAnything) {
                        return null;
                    }
                    break;
                }
                sawAnything = true;
                int newline = indexOfNewline();
                int end = newline < 0 ? limit : newline;
                int room = maxLineBytes - lineBytes.size();
                int take = Math.min(room, end - position);
                lineBytes.write(buffer, position, take);
                tooLong |= take < end - position;
                position = newline < 0 ? limit : newline + 1;
                if (newline >= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            finish();
            lineNumber++;
            BadRecordReason reason = compressed && e instanceof EOFException
                    ? BadRecordReason.TRUNCATED_FILE : BadRecordReason.UNREADABLE_FILE;
            return Outcome.reject(new BadRecord(file, lineNumber, reason,
                    "reading stopped after line " + (lineNumber - 1) + ": " + e), options.policy());
        }
        lineNumber++;
        return decode(tooLong);
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    private Outcome<Line> decode(boolean tooLong) {
        byte[] bytes = lineBytes.toByteArray();
        int start = lineNumber == 1 && startsWithByteOrderMark(bytes) ? 3 : 0;
        int end = bytes.length > start && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (tooLong) {
            return Outcome.reject(new BadRecord(file, lineNumber, BadRecordReason.LINE_TOO_LONG,
                    "more than " + options.maxLineChars() + " characters"), options.policy());
        }
        ByteBuffer input = ByteBuffer.wrap(bytes, start, end - start);
        CharBuffer output = CharBuffer.allocate(end - start);
        decoder.reset();
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (result.isError()) {
            return Outcome.reject(new BadRecord(file, lineNumber, BadRecordReason.INVALID_UTF8,
                    "malformed byte sequence at byte " + (input.position() - start) + " of the line"), options.policy());
        }
        output.flip();
        if (output.length() > options.maxLineChars()) {
            return Outcome.reject(new BadRecord(file, lineNumber, BadRecordReason.LINE_TOO_LONG,
                    output.length() + " characters, more than " + options.maxLineChars()), options.policy());
        }
        return Outcome.good(new Line(file, lineNumber, output.toString()));
    }

    private static boolean startsWithByteOrderMark(byte[] b) {
        return b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF;
    }

    private void finish() {
        finished = true;
        close();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close input file " + file, e);
        }
    }
}
