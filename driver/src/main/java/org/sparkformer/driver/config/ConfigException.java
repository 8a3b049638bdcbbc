package org.sparkformer.driver.config;

/** A configuration that cannot be used; the message names the key and where it came from. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
