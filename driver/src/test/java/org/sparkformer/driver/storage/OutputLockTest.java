package org.sparkformer.driver.storage;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkformer.driver.TestClusters;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputLockTest {

    private static Path freshDir(FileSystem fs, String fsName) throws IOException {
        return fsName.equals("hdfs")
                ? fs.makeQualified(new Path("/output-" + UUID.randomUUID()))
                : new Path(Files.createTempDirectory("sparkformer-out").toUri());
    }

    private static FileSystem fs(String fsName) throws IOException {
        return fsName.equals("hdfs") ? TestClusters.hdfs() : FileSystem.getLocal(TestClusters.localConf());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void secondJobOnTheSameOutputFailsFastNamingTheHolder(String fsName) throws IOException {
        FileSystem fs = fs(fsName);
        Path dir = freshDir(fs, fsName);
        try (OutputLock first = OutputLock.acquire(fs, dir, "pretrain")) {
            OutputLock.LockedException e = assertThrows(OutputLock.LockedException.class,
                    () -> OutputLock.acquire(fs, dir, "finetune"));
            assertTrue(e.getMessage().startsWith("output directory " + dir + " is in use by another job (pretrain started "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("by pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        assertFalse(fs.exists(new Path(dir, OutputLock.FILE_NAME)), "lock removed on close");
        OutputLock.acquire(fs, dir, "finetune").close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void lockOfADeadProcessOnThisHostIsTakenOver(String fsName) throws IOException {
        FileSystem fs = fs(fsName);
        Path dir = freshDir(fs, fsName);
        fs.mkdirs(dir);
        long deadPid = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1000) + 100_000;
        String stale = "{\"host\":\"" + InetAddress.getLocalHost().getHostName() + "\",\"pid\":" + deadPid
                + ",\"started\":\"2020-01-01T00:00:00Z\",\"purpose\":\"pretrain\"}";
        try (FSDataOutputStream out = fs.create(new Path(dir, OutputLock.FILE_NAME), false)) {
            out.write(stale.getBytes(StandardCharsets.UTF_8));
        }
        try (OutputLock lock = OutputLock.acquire(fs, dir, "pretrain")) {
            assertTrue(fs.exists(new Path(dir, OutputLock.FILE_NAME)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "hdfs"})
    void lockHeldFromAnotherHostIsNeverTakenOver(String fsName) throws IOException {
        FileSystem fs = fs(fsName);
        Path dir = freshDir(fs, fsName);
        fs.mkdirs(dir);
        try (FSDataOutputStream out = fs.create(new Path(dir, OutputLock.FILE_NAME), false)) {
            out.write("{\"host\":\"elsewhere.example\",\"pid\":1,\"started\":\"x\",\"purpose\":\"predict\"}"
                    .getBytes(StandardCharsets.UTF_8));
        }
        OutputLock.LockedException e = assertThrows(OutputLock.LockedException.class, () -> OutputLock.acquire(fs, dir, "x"));
        assertTrue(e.getMessage().contains("predict started x by pid 1 on elsewhere.example"), e.getMessage());
    }
}
