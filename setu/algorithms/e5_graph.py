"""multilingual-e5-small's encoder as an ONNX graph, run by onnxruntime on one thread.

``e5_small.py`` dequantises the 4-bit weights to float32; it used to run the twelve layers in
NumPy, whose matrix products (~90 % of the time) go to OpenBLAS. The OpenBLAS in NumPy's wheel
picks its kernels by CPU model name, or by ``OPENBLAS_CORETYPE`` where that is set (our
machines set it to ``Haswell``): AVX2, ~90 GFLOPS on one core here, 26–39 profiles per CPU
second. onnxruntime's MLAS picks its kernels by the instructions the CPU reports (AVX-512 here,
~190 GFLOPS on one core; AVX2 on a CPU without it) and fuses the bias additions, GELU and
LayerNorm into the steps around them: 52–66 profiles per CPU second (decision 0012, fourth
pass). The arithmetic stays float32, the same products in another order: the vectors agree
with NumPy's to ~1e-7.

The graph reads the tokens flat, as NumPy did: the products see no padding, only attention
gathers each sentence's rows into a (sentences × longest) grid and scatters them back.

Inputs: ``x`` (tokens × H, embedded and normalised), ``index`` (sentences × longest: the row
of ``x`` at each place, ``tokens`` for padding), ``bias`` (sentences × 1 × 1 × longest: 0, or
a large negative number at padding), ``back`` (tokens: each token's place in the grid, row-major).
Output: ``y``, the last hidden states (tokens × H).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
import onnxruntime
from onnx import TensorProto, helper, numpy_helper

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]

_OPSET = 18  # LayerNormalization needs 17; onnxruntime 1.31 runs models up to IR version 13
_IR_VERSION = 9


@dataclass(frozen=True)
class Layer:
    """One encoder layer's weights, laid out for ``x @ w`` (1/√head folded into the queries)."""

    qkv_w: Floats  # (H, 3H)
    qkv_b: Floats
    out_w: Floats  # (H, H)
    out_b: Floats
    attn_ln: tuple[Floats, Floats]
    up_w: Floats  # (H, FF)
    up_b: Floats
    down_w: Floats  # (FF, H)
    down_b: Floats
    out_ln: tuple[Floats, Floats]


class Encoder:
    """The layers in one onnxruntime session on one thread: ``hidden_states`` runs a pass.

    One thread because the worker embeds on one core while the other serves pages (and a
    pool's idle threads would spin on a CPU of their own). The weights reach onnxruntime as
    arrays beside the model ("external initializers"), not inside it: serialised with the model
    they put the worker's peak at ~700 MB; this way it holds ~460 MB after a batch (the NumPy
    engine ~270 MB). onnxruntime copies and repacks them for its kernels; ours are kept all
    the same, since its API does not promise the copy.
    """

    def __init__(self, layers: Sequence[Layer], *, heads: int, eps: float) -> None:
        model, weights = _encoder_model(layers, heads=heads, eps=eps)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # errors only: no notes on fusions in the worker's log
        self._weights = weights  # see above: kept while the session lives
        options.add_external_initializers(
            list(weights), [onnxruntime.OrtValue.ortvalue_from_numpy(w) for w in weights.values()]
        )
        self.session = onnxruntime.InferenceSession(
            model.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    def hidden_states(self, x: Floats, index: Ints, bias: Floats, back: Ints) -> Floats:
        """The last layer's output for one pass (the module's docstring says what each is)."""
        feed = {"x": x, "index": index, "bias": bias, "back": back}
        (y,) = self.session.run(["y"], feed)
        return np.asarray(y, dtype=np.float32)


def _encoder_model(
    layers: Sequence[Layer], *, heads: int, eps: float
) -> tuple[onnx.ModelProto, dict[str, Floats]]:
    """The encoder as one ONNX model whose float weights are left out ("external"), and those
    weights by name."""
    h = layers[0].qkv_w.shape[0]
    nodes: list[onnx.NodeProto] = []
    weights: list[onnx.TensorProto] = []
    arrays: dict[str, Floats] = {}

    def constant(name: str, value: npt.ArrayLike, dtype: type = np.float32) -> str:
        if dtype is not np.float32:  # the few shapes and indices stay in the model
            weights.append(numpy_helper.from_array(np.array(value, dtype=dtype), name))
            return name
        array: Floats = np.ascontiguousarray(value, dtype=np.float32)  # a copy only if needed
        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=array.shape)
        tensor.data_location = TensorProto.EXTERNAL
        tensor.external_data.add(key="location", value="memory")  # never read: given below
        weights.append(tensor)
        arrays[name] = array
        return name

    def node(op: str, inputs: list[str], output: str, domain: str = "", **attributes: Any) -> str:
        nodes.append(
            helper.make_node(op, inputs, [output], name=output, domain=domain, **attributes)
        )
        return output

    def layer_norm(value: str, weights: tuple[Floats, Floats], name: str) -> str:
        scale, shift = constant(name + "_w", weights[0]), constant(name + "_b", weights[1])
        return node("LayerNormalization", [value, scale, shift], name, axis=-1, epsilon=eps)

    pad_row = constant("pad_row", np.zeros((1, 3 * h)))
    split = constant("split", [0, 0, 3, heads, h // heads], np.int64)
    flat = constant("flat", [-1, h], np.int64)
    parts = [constant(f"part{i}", i, np.int64) for i in range(3)]
    x = "x"
    for n, layer in enumerate(layers):
        p = f"l{n}."
        qkv = node("MatMul", [x, constant(p + "qkv_w", layer.qkv_w)], p + "qkv")
        qkv = node("Add", [qkv, constant(p + "qkv_b", layer.qkv_b)], p + "qkv_biased")
        padded = node("Concat", [qkv, pad_row], p + "padded", axis=0)
        grid = node("Gather", [padded, "index"], p + "grid", axis=0)  # (B, T, 3H)
        grid = node("Reshape", [grid, split], p + "grid_heads")  # (B, T, 3, heads, head)
        grid = node("Transpose", [grid], p + "grid_qkv", perm=[2, 0, 3, 1, 4])
        q, k, v = (node("Gather", [grid, parts[i]], p + "qkv"[i] + "_", axis=0) for i in range(3))
        keys = node("Transpose", [k], p + "k_t", perm=[0, 1, 3, 2])
        scores = node("MatMul", [q, keys], p + "scores")
        scores = node("Add", [scores, "bias"], p + "scores_masked")
        scores = node("Softmax", [scores], p + "weights", axis=-1)
        mixed = node("MatMul", [scores, v], p + "mixed")  # (B, heads, T, head)
        mixed = node("Transpose", [mixed], p + "mixed_t", perm=[0, 2, 1, 3])
        mixed = node("Reshape", [mixed, flat], p + "mixed_flat")
        context = node("Gather", [mixed, "back"], p + "context", axis=0)  # (tokens, H)
        attended = node("MatMul", [context, constant(p + "out_w", layer.out_w)], p + "attended")
        attended = node("Add", [attended, constant(p + "out_b", layer.out_b)], p + "attended_b")
        attended = node("Add", [attended, x], p + "attended_r")
        x = layer_norm(attended, layer.attn_ln, p + "attn_ln")
        mid = node("MatMul", [x, constant(p + "up_w", layer.up_w)], p + "up")
        # GELU in its tanh form, as before: the exact one would move the vectors by ~1e-4
        mid = node(
            "FastGelu", [mid, constant(p + "up_b", layer.up_b)], p + "gelu", domain="com.microsoft"
        )
        down = node("MatMul", [mid, constant(p + "down_w", layer.down_w)], p + "down")
        down = node("Add", [down, constant(p + "down_b", layer.down_b)], p + "down_b_")
        down = node("Add", [down, x], p + "down_r")
        x = layer_norm(down, layer.out_ln, p + "out_ln")
    nodes.append(helper.make_node("Identity", [x], ["y"], name="y"))
    floats, ints = TensorProto.FLOAT, TensorProto.INT64
    graph = helper.make_graph(
        nodes,
        "e5_small_encoder",
        inputs=[
            helper.make_tensor_value_info("x", floats, ["tokens", h]),
            helper.make_tensor_value_info("index", ints, ["sentences", "longest"]),
            helper.make_tensor_value_info("bias", floats, ["sentences", 1, 1, "longest"]),
            helper.make_tensor_value_info("back", ints, ["tokens"]),
        ],
        outputs=[helper.make_tensor_value_info("y", floats, ["tokens", h])],
        initializer=weights,
    )
    model = helper.make_model(
        graph,
        ir_version=_IR_VERSION,
        opset_imports=[helper.make_opsetid("", _OPSET), helper.make_opsetid("com.microsoft", 1)],
    )
    return model, arrays
