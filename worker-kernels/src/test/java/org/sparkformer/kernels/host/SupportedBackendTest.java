package org.sparkformer.kernels.host;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jobs run on ND4J's CPU backend and refuse any other with one line saying what is supported. */
class SupportedBackendTest {

    @Test
    void theCpuBackendThisBuildLoadsPasses() {
        assertEquals(SupportedBackend.CPU_BACKEND_CLASS, Nd4j.getBackend().getClass().getName());
        assertDoesNotThrow(() -> SupportedBackend.require(Nd4j.getBackend()));
        assertDoesNotThrow(() -> SupportedBackend.require());
    }

    @Test
    void theCudaBackendIsRefusedWithOneLineSayingWhatIsSupported() {
        UnsupportedBackendException e = assertThrows(UnsupportedBackendException.class,
                () -> SupportedBackend.require("org.nd4j.linalg.jcublas.JCublasBackend"));
        assertEquals("ND4J backend CUDA (org.nd4j.linalg.jcublas.JCublasBackend) is not supported yet: Sparkformer's"
                + " kernels run on the CPU backend (nd4j-native) only; build without -Pcuda", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void anyOtherBackendIsRefusedUnderItsClassName() {
        UnsupportedBackendException e = assertThrows(UnsupportedBackendException.class,
                () -> SupportedBackend.require("org.example.nd4j.AuroraBackend"));
        assertTrue(e.getMessage().startsWith("ND4J backend AuroraBackend (org.example.nd4j.AuroraBackend) is not"
                + " supported yet: "), e.getMessage());
    }
}
