package org.sparkformer.tests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/** Silent connections to a round channel, as someone on the network could hold them open without a word. */
final class IdleConnections {

    private IdleConnections() {
    }

    /** Opens connections to {@code port} until {@code held} has {@code count}, or until one is refused. */
    static void topUp(List<Socket> held, int port, int count) throws IOException {
        while (held.size() < count) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                held.add(s);
            } catch (IOException e) {
                s.close();
                return;      // no channel open between rounds
            }
        }
    }

    /** Closes every connection of {@code held}. */
    static void closeAll(List<Socket> held) {
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
