package org.sparkformer.kernels.compress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sparkformer.kernels.io.DType;
import org.sparkformer.kernels.io.ModelFileException;
import org.sparkformer.kernels.io.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the weight matrices of a model file are stored: one {@link StoredWeight} per matrix that is not plain dense
 * float32. Written into a model's configuration as
 * <pre>
 *   {"blocks.0.ffn.in.weight": {"format": "int8", "layout": "dense", "shape": [512, 128]}, ...}
 * </pre>
 * Tensors it does not name (vectors such as biases and LayerNorm parameters, and plain matrices) are F32 tensors
 * under their own name. {@link #decode} turns the stored tensors back into one F32 tensor per parameter, once, so
 * everything that loads a model works on a compressed one unchanged.
 */
public final class WeightStorage {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("format", "layout", "shape");
    private static final String DENSE = "dense";
    private static final String BITMASK = "bitmask";

    private final Map<String, StoredWeight> weights;

    public WeightStorage(Map<String, StoredWeight> weights) {
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    /** No compressed tensors: every tensor is plain F32. */
    public static WeightStorage plain() {
        return new WeightStorage(Map.of());
    }

    /** The compressed matrices by parameter name, in file order. */
    public Map<String, StoredWeight> weights() {
        return weights;
    }

    public boolean isPlain() {
        return weights.isEmpty();
    }

    /** The storage of {@code tensors} (F32 parameters) when every matrix is kept in {@code format}; see {@link #encode}. */
    public static WeightStorage choose(List<Tensor> tensors, WeightFormat format) {
        Map<String, StoredWeight> chosen = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (t.dtype() == DType.F32 && t.shape().length == 2) {
                StoredWeight w = StoredWeight.smaller(format, t.shape(), t.data());
                if (w.format() != WeightFormat.F32 || w.sparse()) {
                    chosen.put(t.name(), w);
                }
            }
        }
        return new WeightStorage(chosen);
    }

    /**
     * The tensors to write for the F32 parameters {@code tensors}: those this storage names encoded, the rest as they
     * are.
     */
    public List<Tensor> encode(List<Tensor> tensors) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : tensors) {
            StoredWeight w = weights.get(t.name());
            if (w == null) {
                out.add(t);
            } else {
                if (t.dtype() != DType.F32) {
                    throw new IllegalArgumentException("tensor " + t.name() + " is " + t.dtype() + ", not F32");
                }
                out.addAll(w.encode(t.name(), t.data()));
            }
        }
        return out;
    }

    /**
     * The F32 parameters stored in {@code stored}, in the order their first tensor appears.
     *
     * @param source names the file in every error
     * @throws ModelFileException when a stored tensor is missing, of the wrong dtype or shape, or left over
     */
    public List<Tensor> decode(List<Tensor> stored, String source) throws ModelFileException {
        Map<String, Tensor> byName = new LinkedHashMap<>();
        stored.forEach(t -> byName.put(t.name(), t));
        Map<String, String> owner = new LinkedHashMap<>();
        for (Map.Entry<String, StoredWeight> e : weights.entrySet()) {
            for (String part : e.getValue().tensorNames(e.getKey())) {
                owner.put(part, e.getKey());
            }
        }
        List<Tensor> out = new ArrayList<>();
        Set<String> decoded = new HashSet<>();
        for (Tensor t : stored) {
            String parameter = owner.get(t.name());
            if (parameter == null) {
                if (t.dtype() != DType.F32) {
                    throw new ModelFileException(source + ": tensor " + t.name() + " is " + t.dtype()
                            + " but the configuration's storage does not say how it is encoded");
                }
                out.add(t);
            } else if (decoded.add(parameter)) {
                StoredWeight w = weights.get(parameter);
                out.add(new Tensor(parameter, w.shape(), w.decode(parameter, byName, source)));
            }
        }
        for (String parameter : weights.keySet()) {
            if (!decoded.contains(parameter)) {
                throw new ModelFileException(source + ": tensor " + parameter + " is missing (the configuration's storage"
                        + " names it)");
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- JSON

    public JsonNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        weights.forEach((name, w) -> {
            ObjectNode entry = root.putObject(name);
            entry.put("format", w.format().id());
            entry.put("layout", w.sparse() ? BITMASK : DENSE);
            entry.putArray("shape").add(w.shape()[0]).add(w.shape()[1]);
        });
        return root;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @param where names the file and key in every error, e.g. {@code "model/config.json storage"}
     */
    public static WeightStorage fromJson(JsonNode node, String where) throws ModelFileException {
        if (node == null || !node.isObject()) {
            throw new ModelFileException(where + ": expected an object of tensor name to storage");
        }
        Map<String, StoredWeight> weights = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            weights.put(field.getKey(), entry(field.getValue(), where + " of tensor " + field.getKey()));
        }
        return new WeightStorage(weights);
    }

    private static StoredWeight entry(JsonNode node, String where) throws ModelFileException {
        if (node == null || !node.isObject()) {
            throw new ModelFileException(where + ": expected {\"format\", \"layout\", \"shape\"}");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                throw new ModelFileException(where + ": unknown key " + key + " (expected " + KEYS + ")");
            }
        }
        JsonNode format = node.get("format");
        JsonNode layout = node.get("layout");
        JsonNode shape = node.get("shape");
        if (format == null || !format.isTextual() || layout == null || !layout.isTextual()) {
            throw new ModelFileException(where + ": format and layout must be strings");
        }
        if (shape == null || !shape.isArray() || shape.size() != 2 || !shape.get(0).canConvertToInt()
                || !shape.get(1).canConvertToInt() || shape.get(0).intValue() < 1 || shape.get(1).intValue() < 1) {
            throw new ModelFileException(where + ": shape must be two positive integers, got " + shape);
        }
        if (!layout.textValue().equals(DENSE) && !layout.textValue().equals(BITMASK)) {
            throw new ModelFileException(where + ": unknown layout '" + layout.textValue() + "' (supported: " + DENSE
                    + ", " + BITMASK + ")");
        }
        try {
            return new StoredWeight(WeightFormat.parse(format.textValue()), layout.textValue().equals(BITMASK),
                    new long[]{shape.get(0).longValue(), shape.get(1).longValue()});
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(where + ": " + e.getMessage());
        }
    }
}
