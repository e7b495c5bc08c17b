"""The same all-MiniLM-L6-v2, run by ONNX Runtime with the fast `tokenizers` tokenizer.

Why: importing sentence-transformers (torch) takes seconds, more than the whole
cold-start budget of a search (docs/performance.md). ONNX Runtime imports in a
fraction of that and needs no torch at query time.

The ONNX file is exported from the bundled weights with `torch.onnx.export` the
first time it is needed (the only moment torch is imported) into a cache
directory, checked against the torch model on a few texts before it is kept,
and reused afterwards. The graph includes the sentence-transformers head: mean
pooling over the attention mask, then L2 normalisation, so `encode` returns the
same vectors as `SentenceTransformerEmbedder` (cosine >= 0.9999, tested).

The int8 variant (`OnnxEmbedder(variant="int8")`) is made from that file by
`onnxruntime.quantization.quantize_dynamic`, cached beside it and checked against it
before it is kept (`quantise_int8`).

    OnnxEmbedder().encode(["SPO workload"])  -> float32 [1, DIM], unit length
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from indexer.embedding.model import (
    CANARY_TEXT,
    DIM,
    MAX_SEQ_LENGTH,
    cache_dir,
    check_variant,
    model_dir,
    model_identity,
    no_vectors,
    offline,
    runtime,
    weights_sha256,
)

EXPORT_OPSET = 17
EXPORT_CHECK_COSINE = 0.9999  # the exported graph must reproduce torch this closely
# int8 against fp32 on the check texts: measured 0.98 at the lowest (the one-letter text), 0.99 for the others;
# lower means a broken quantisation
INT8_CHECK_COSINE = 0.96
LANES = 4  # one-thread sessions side by side, at most one per core (docs/performance.md)
# the feed-forward output matrices (1536 -> 384) of the six layers, by their names in the exported graph
FFN_OUTPUT = tuple(f"/layer.{i}/output/dense/" for i in range(6))
# MatMuls whose names hold one of these stay fp32 in the int8 variant. None: keeping the feed-forward outputs
# in fp32 brings int8 closer to fp32 but costs a third of its speed-up (docs/performance.md)
INT8_KEEP_FP32: tuple[str, ...] = ()
_CHECK_TEXTS = (
    "Senior probation officers' workloads are reviewed by HM Inspectorate of Probation.",
    "Recommendation 3: HMPPS should improve the quality of risk assessments. Status: Agreed",
    "  whitespace, UNICODE – ‘quotes’ and numbers 2020/21  ",
    "x",
)


class OnnxExportError(RuntimeError):
    """The ONNX model could not be made or did not match the torch model."""


def onnx_path(variant: str = "fp32") -> Path:
    """The cached ONNX file for the bundled weights; the weights hash is in the name, so new weights re-export.
    int8: weights quantised to 7 bits per output channel ("pc7") but for INT8_KEEP_FP32, made from the fp32 file."""
    sha = weights_sha256()
    kept = hashlib.sha256("|".join(INT8_KEEP_FP32).encode()).hexdigest()[:8]  # another choice, another file
    suffix = {"fp32": "", "int8": f"-int8pc7-{kept}"}[check_variant(variant)]
    return cache_dir() / f"all-MiniLM-L6-v2-{sha[:16]}-opset{EXPORT_OPSET}{suffix}.onnx"


def model_file(variant: str = "fp32", target: Optional[Path] = None) -> Path:
    """The variant's ONNX file, made (and checked) the first time it is asked for."""
    return quantise_int8(target) if check_variant(variant) == "int8" else export_onnx(target)


def _made_once(target: Path, make) -> Path:
    """`make(tmp)` writes and checks the file; kept under `target` only if it returns.
    Idempotent, one maker at a time."""
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock

    with FileLock(str(target) + ".lock", timeout=600):  # two processes must not make it at once
        if target.exists():
            return target
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            make(tmp)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return target


def quantise_int8(target: Optional[Path] = None, keep_fp32: Sequence[str] = INT8_KEEP_FP32) -> Path:
    """The int8 variant: the fp32 graph's weight matrices quantised, verified against fp32; idempotent.

    Dynamic quantisation: weights with one scale per output channel (one scale per matrix lost too much) and
    7 bits (`reduce_range`): a CPU without VNNI sums pairs of u8 x s8 products in 16 bits, which 8-bit weights
    can overflow (saturate), so 8-bit weights gave other vectors there; 7-bit ones cannot. Activations are
    quantised at run time, one text at a time (`embed_each`). Stay fp32: the attention products (activation x
    activation) and the MatMuls named in `keep_fp32`.
    """
    def make(tmp: Path) -> None:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        source = export_onnx()
        keep = [n.name for n in _graph_nodes(source) if n.op_type == "MatMul" and any(k in n.name for k in keep_fp32)]
        quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8, per_channel=True, reduce_range=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=keep)
        cos = _min_cosine(_session(tmp), _session(source))
        if cos < INT8_CHECK_COSINE:
            raise OnnxExportError(f"int8 model differs from fp32 (min cosine {cos:.4f} < {INT8_CHECK_COSINE})")

    return _made_once(Path(target) if target else onnx_path("int8"), make)


def _graph_nodes(path: Path):
    import onnx

    return onnx.load(str(path), load_external_data=False).graph.node


def _min_cosine(session, reference) -> float:
    """Lowest cosine between two sessions' vectors for the check texts, one by one."""
    pairs = [_tokenize([t]) for t in _CHECK_TEXTS]
    got = np.concatenate([_run(session, *p) for p in pairs])
    want = np.concatenate([_run(reference, *p) for p in pairs])
    return float(np.min(np.sum(got * want, axis=1)))


def export_onnx(target: Optional[Path] = None) -> Path:
    """Export the bundled model (encoder + mean pooling + normalisation) to ONNX, verified; idempotent."""
    return _made_once(Path(target) if target else onnx_path(), _export)


def _export(tmp: Path) -> None:
    """Trace the encoder + head, export it to `tmp`, and check it against torch."""
    offline()
    import torch
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(model_dir())).eval()
    graph = _SentenceGraph(encoder)
    # trace with real padding: an all-ones mask lets the attention code drop the mask from the graph
    ids, mask = _tokenize(list(_CHECK_TEXTS))
    ids_t, mask_t = torch.from_numpy(ids), torch.from_numpy(mask)
    axes = {0: "batch", 1: "seq"}
    with torch.no_grad():
        # export a jit trace, not the module: exporting the module directly gave wrong vectors
        # for every text (cosine 0.83-0.96) with transformers 5 + torch 2.13
        traced = torch.jit.trace(graph, (ids_t, mask_t, torch.zeros_like(ids_t)))
        torch.onnx.export(
            traced, (ids_t, mask_t, torch.zeros_like(ids_t)), str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "embedding": {0: "batch"}},
            opset_version=EXPORT_OPSET, dynamo=False)
        want = graph(ids_t, mask_t, torch.zeros_like(ids_t))
        singles = [graph(*(torch.from_numpy(a) for a in _tokenize([t])),
                         torch.from_numpy(np.zeros_like(_tokenize([t])[0]))).numpy() for t in _CHECK_TEXTS]
    session = _session(tmp)
    got = np.concatenate([_run(session, ids, mask)] + [_run(session, *_tokenize([t])) for t in _CHECK_TEXTS])
    expected = np.concatenate([want.numpy()] + singles)
    cos = float(np.min(np.sum(got * expected, axis=1)))  # batched (padded) and one by one
    if cos < EXPORT_CHECK_COSINE:
        raise OnnxExportError(f"exported ONNX model differs from torch (min cosine {cos:.6f})")


def _sentence_graph_cls():
    import torch

    class SentenceGraph(torch.nn.Module):
        """Encoder + the sentence-transformers head of this model (mean pooling, normalise)."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            # a ready 4-D additive mask: transformers' own mask builder takes data-dependent
            # shortcuts that tracing bakes in wrongly (padded rows came out at cosine 0.86)
            w = attention_mask.unsqueeze(-1).to(torch.float32)
            additive = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
            h = self.encoder(input_ids=input_ids, attention_mask=additive,
                             token_type_ids=token_type_ids).last_hidden_state
            mean = (h * w).sum(1) / w.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    return SentenceGraph


def _SentenceGraph(encoder):
    return _sentence_graph_cls()(encoder)


_TOKENIZER = None
_TOKENIZER_LOCK = threading.Lock()


def _tokenizer():
    """The model's tokenizer.json, truncating at the model's window; padding is done per batch (`pad`)."""
    global _TOKENIZER
    with _TOKENIZER_LOCK:
        if _TOKENIZER is None:
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
            tok.enable_truncation(max_length=MAX_SEQ_LENGTH)
            tok.no_padding()
            _TOKENIZER = tok
        return _TOKENIZER


def token_ids(texts: Sequence[str]) -> list[list[int]]:
    """Each text's word pieces ([CLS] ... [SEP]), cut at the model's window, unpadded."""
    return [e.ids for e in _tokenizer().encode_batch(list(texts))]


def pad(seqs: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Right-padded ids ([PAD] is 0) and attention mask, as wide as the longest sequence."""
    width = max(len(s) for s in seqs)
    ids = np.zeros((len(seqs), width), dtype=np.int64)
    mask = np.zeros((len(seqs), width), dtype=np.int64)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = s
        mask[i, :len(s)] = 1
    return ids, mask


def _tokenize(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return pad(token_ids(texts))


def embed_each(lanes: Sequence, seqs: Sequence[Sequence[int]]) -> np.ndarray:
    """Vectors of `seqs`, in their order, each text run alone: no padding and no batch-mates, so a text's
    vector depends on its text only (int8 quantises activations per run; fp32 sums differ in the last bit with
    the padding). One-thread sessions (`lanes`) take the texts longest first from one queue, in threads of
    their own; which lane runs a text changes no byte (tested)."""
    out = np.empty((len(seqs), DIM), dtype=np.float32)
    queue = iter(sorted(range(len(seqs)), key=lambda i: -len(seqs[i])))
    lock = threading.Lock()

    def run_lane(session) -> None:
        while True:
            with lock:
                i = next(queue, None)
            if i is None:
                return
            out[i] = _run(session, *pad([seqs[i]]))[0]

    lanes = list(lanes)[:max(1, len(seqs))]
    if len(lanes) == 1:
        run_lane(lanes[0])
        return out
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(lanes), thread_name_prefix="embed-lane") as pool:
        for f in [pool.submit(run_lane, lane) for lane in lanes]:
            f.result()  # a failed lane raises here
    return out


def _session(path: Path):
    """One thread: runs side by side use the cores, and one text is faster alone than split under load."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    # no busy-waiting threads: on a shared 2-core machine spinning workers slowed every query (docs/performance.md)
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _run(session, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    return np.ascontiguousarray(out, dtype=np.float32)


class OnnxEmbedder:
    """The embedder searches and builds use; loads on first encode (or `load`).

    variant "fp32": the vectors of the reference (SentenceTransformerEmbedder) to cosine 0.9999995, the same
    on every CPU within the golden tolerance; "int8": an identity of its own, CPU-dependent (indexer/model.py).
    """

    runtime = "onnxruntime"

    def __init__(self, path: Optional[Path] = None, variant: str = "fp32", lanes: Optional[int] = None):
        self.variant = check_variant(variant)
        self._path = Path(path) if path else None
        self._n_lanes = max(1, lanes or min(LANES, os.cpu_count() or 1))
        self._sessions: list = []
        self._cpu_digest: Optional[str] = None
        self._lock = threading.Lock()  # one tokenizer/session call at a time (tokenizers#537)

    def identity(self) -> dict:
        ident = model_identity(self.variant, runtime("onnxruntime", "tokenizers"))
        if self.variant == "int8":  # CPU-dependent: made on a CPU that computes it otherwise, it is another model
            ident["numeric"]["cpu"] = self.cpu_digest()
        return ident

    def cpu_digest(self) -> str:
        """A digest of this CPU's vector for the canary text: equal where the CPU computes the model alike."""
        if self._cpu_digest is None:
            self._cpu_digest = hashlib.sha256(self.encode([CANARY_TEXT]).tobytes()).hexdigest()[:16]
        return self._cpu_digest

    @property
    def path(self) -> Path:
        return self._path or onnx_path(self.variant)

    def load(self) -> None:
        """Make the model file and the sessions, and check this machine reproduces the golden vectors (a build
        calls this in a thread of its own while the first files are read)."""
        with self._lock:
            self._lanes()

    def _lanes(self) -> list:
        if not self._sessions:
            model = model_file(self.variant, self.path)
            sessions = [_session(model) for _ in range(self._n_lanes)]
            from indexer.embedding.golden import verify

            verify(self.variant, lambda texts: embed_each(sessions[:1], token_ids(texts)))
            self._sessions = sessions
        return self._sessions

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return no_vectors()
        with self._lock:
            return embed_each(self._lanes(), token_ids([str(t) for t in texts]))
