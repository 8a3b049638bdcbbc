/**
 * Safe writing on any Hadoop file system: directories staged under a temporary name and renamed into
 * place ({@link org.sparkformer.driver.storage.StagedDirectory}), SHA-256 manifests verified on read
 * ({@link org.sparkformer.driver.storage.VerifiedDirectory}), small files renamed into place
 * ({@link org.sparkformer.driver.storage.RenamedFile}), and the output-directory lock that stops two
 * jobs writing to one place ({@link org.sparkformer.driver.storage.OutputLock}).
 */
package org.sparkformer.driver.storage;
