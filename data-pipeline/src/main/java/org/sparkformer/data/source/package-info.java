/**
 * Reading corpora, labelled text and token-tagged text from any Hadoop file system (local, HDFS, S3A; files,
 * directories, globs; compressed files by extension). Text files are read per file with a strict UTF-8 decoder and
 * a maximum line length so that every record carries its file and line, and every bad record is either counted by
 * reason or fails the job with an exception naming file, line and problem, according to a {@link
 * org.sparkformer.data.source.BadRecordPolicy}.
 */
package org.sparkformer.data.source;
