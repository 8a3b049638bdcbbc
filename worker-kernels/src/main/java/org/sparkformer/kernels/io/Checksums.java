package org.sparkformer.kernels.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests of streams, as lower-case hex, with the byte count seen. */
public final class Checksums {

    private Checksums() {
    }

    /** The SHA-256 digest and size of everything read from {@code in} (read to the end, not closed). */
    public static ChecksumManifest.Entry sha256(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            digest.update(buf, 0, n);
            size += n;
        }
        return new ChecksumManifest.Entry(HexFormat.of().formatHex(digest.digest()), size);
    }

    /** SHA-256 of a byte array as lower-case hex. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** An output stream that digests what passes through it; see {@link DigestingOutputStream#entry()}. */
    public static DigestingOutputStream digesting(OutputStream out) {
        return new DigestingOutputStream(out);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** Passes bytes through while computing their SHA-256 and counting them. */
    public static final class DigestingOutputStream extends DigestOutputStream {
        private long size;

        DigestingOutputStream(OutputStream out) {
            super(out, newDigest());
        }

        @Override
        public void write(int b) throws IOException {
            super.write(b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            size += len;
        }

        /** Digest and size of everything written so far (call once, after the last write). */
        public ChecksumManifest.Entry entry() {
            return new ChecksumManifest.Entry(HexFormat.of().formatHex(getMessageDigest().digest()), size);
        }
    }
}
