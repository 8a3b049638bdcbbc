package org.sparkformer.tests;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A file system whose process "dies" at one operation: {@code create:NAME} (creating a file named NAME),
 * {@code write:NAME} (after the first 16 bytes written to NAME) or {@code rename:} (any rename). From then
 * on every create, write, rename, delete and mkdirs fails, as nothing runs after a crash; what was on disk
 * stays as it was.
 */
final class CrashingFileSystem extends FilterFileSystem {

    private final String operation;
    private final String name;
    private volatile boolean crashed;

    CrashingFileSystem(FileSystem underlying, String crashPoint) {
        super(underlying);
        int colon = crashPoint.indexOf(':');
        this.operation = crashPoint.substring(0, colon);
        this.name = crashPoint.substring(colon + 1);
    }

    boolean crashed() {
        return crashed;
    }

    private void alive() throws IOException {
        if (crashed) {
            throw new IOException("process is dead (crashed earlier)");
        }
    }

    private IOException crash(String what) {
        crashed = true;
        return new IOException("crash " + what);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        alive();
        if (operation.equals("create") && f.getName().equals(name)) {
            throw crash("creating " + f);
        }
        FSDataOutputStream out = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        if (!operation.equals("write") || !f.getName().equals(name)) {
            return out;
        }
        return new FSDataOutputStream(new OutputStream() {
            private long written;

            @Override
            public void write(int b) throws IOException {
                alive();
                if (written == 16) {
                    out.hflush();
                    throw crash("writing " + f);
                }
                out.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }

            @Override
            public void close() throws IOException {
                // a dead process closes nothing cleanly, but the bytes written so far are on disk
                if (crashed) {
                    out.close();
                    return;
                }
                out.close();
            }
        }, null);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        alive();
        if (operation.equals("rename")) {
            throw crash("renaming " + src);
        }
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        alive();
        return super.delete(f, recursive);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        alive();
        return super.mkdirs(f, permission);
    }
}
