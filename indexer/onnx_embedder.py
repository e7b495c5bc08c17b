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

from indexer.model import (DIM, MAX_SEQ_LENGTH, cache_dir, check_variant, model_dir, model_identity, no_vectors,
                           offline)

EXPORT_OPSET = 17
EXPORT_CHECK_COSINE = 0.9999  # the exported graph must reproduce torch this closely
# int8 against fp32 on the check texts, batched and alone: measured 0.979 at the lowest (the one-letter text in a
# padded batch), 0.99 for the others; lower means a broken quantisation
INT8_CHECK_COSINE = 0.96
# rows per run: with the rows sorted by length, small batches pad little; on the corpus's passages 8 ran 1.5x
# faster than 32 (fp32 and int8) on one two-thread session; on one-thread lanes (below) 4 ran 1.1x faster
# than 8 (int8: 114 against 100 corpus passages/s), 1 and 2 about as fast as 4 (docs/performance.md)
BATCH = 4
# the feed-forward output matrices (1536 -> 384) of the six layers, by their names in the exported graph
FFN_OUTPUT = tuple(f"/layer.{i}/output/dense/" for i in range(6))
# MatMuls whose names hold one of these stay fp32 in the int8 variant. None: keeping the feed-forward outputs
# in fp32 brought int8 closer to fp32 (cosine 0.997 against 0.994) but cost a third of the speed-up, and did not
# move hybrid nDCG@10 (docs/performance.md, "Embedding throughput")
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
    int8: weights quantised per output channel ("pc") but for INT8_KEEP_FP32, made from the fp32 file."""
    sha = model_identity()["weights_sha256"]
    kept = hashlib.sha256("|".join(INT8_KEEP_FP32).encode()).hexdigest()[:8]  # another choice, another file
    suffix = {"fp32": "", "int8": f"-int8pc-{kept}"}[check_variant(variant)]
    return cache_dir() / f"all-MiniLM-L6-v2-{sha[:16]}-opset{EXPORT_OPSET}{suffix}.onnx"


def model_file(variant: str = "fp32", target: Optional[Path] = None) -> Path:
    """The variant's ONNX file, made (and checked) the first time it is asked for."""
    return quantise_int8(target) if check_variant(variant) == "int8" else export_onnx(target)


def _made_once(target: Path, make) -> Path:
    """`make(tmp)` writes and checks the file; kept under `target` only if it returns. Idempotent, one maker at a time."""
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
    """The int8 variant: the fp32 graph's weight matrices quantised to int8, verified against fp32; idempotent.

    Dynamic quantisation: weights int8 with one scale per output channel (one scale per matrix lost too
    much: cosine to fp32 0.95 mean, 0.93 min on the corpus passages, against 0.994 and 0.988); activations
    are quantised per batch at run time. Stay fp32: the attention products (activation x activation) and the
    MatMuls named in `keep_fp32`.
    """
    def make(tmp: Path) -> None:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        source = export_onnx()
        keep = [n.name for n in _graph_nodes(source) if n.op_type == "MatMul" and any(k in n.name for k in keep_fp32)]
        quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=keep)
        cos = _min_cosine(_session(tmp), _session(source))
        if cos < INT8_CHECK_COSINE:
            raise OnnxExportError(f"int8 model differs from fp32 (min cosine {cos:.4f} < {INT8_CHECK_COSINE})")

    return _made_once(Path(target) if target else onnx_path("int8"), make)


def _graph_nodes(path: Path):
    import onnx

    return onnx.load(str(path), load_external_data=False).graph.node


def _min_cosine(session, reference) -> float:
    """Lowest cosine between two sessions' vectors for the check texts, batched (padded) and one by one."""
    ids, mask = _tokenize(list(_CHECK_TEXTS))
    pairs = [(ids, mask)] + [_tokenize([t]) for t in _CHECK_TEXTS]
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


def length_order(seqs: Sequence[Sequence[int]]) -> np.ndarray:
    """Rows longest first by word pieces, ties in input order: each batch pads to similar lengths, and the
    same texts always make the same batches (so the same float32 bytes: a resumed build relies on it)."""
    return np.argsort(-np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs)), kind="stable")


def embed_batches(sessions, seqs: Sequence[Sequence[int]], order: np.ndarray, batch_size: int) -> np.ndarray:
    """Vectors of `seqs` (in their own order), run `batch_size` rows at a time in the given order.

    `sessions`: one session, or several (one thread each) that take every n-th batch in threads of their own.
    A batch's vectors do not depend on which session ran it, so the bytes are the same either way (tested).
    """
    out = np.empty((len(seqs), DIM), dtype=np.float32)
    batches = [order[i:i + batch_size] for i in range(0, len(seqs), batch_size)]
    lanes = list(sessions) if isinstance(sessions, (list, tuple)) else [sessions]
    lanes = lanes[:max(1, len(batches))]

    def run_lane(k: int) -> None:
        for rows in batches[k::len(lanes)]:
            out[rows] = _run(lanes[k], *pad([seqs[r] for r in rows]))

    if len(lanes) == 1:
        run_lane(0)
        return out
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(lanes), thread_name_prefix="embed-lane") as pool:
        for f in [pool.submit(run_lane, k) for k in range(len(lanes))]:
            f.result()  # a failed lane raises here
    return out


def _session(path: Path, threads: Optional[int] = None):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or min(4, os.cpu_count() or 1)
    opts.inter_op_num_threads = 1
    # no busy-waiting threads: on a shared 2-core machine spinning workers slowed every query (docs/performance.md)
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _run(session, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    return np.ascontiguousarray(out, dtype=np.float32)


class OnnxEmbedder:
    """Drop-in for SentenceTransformerEmbedder; loads on first encode.

    variant "fp32": the same identity and vectors as the reference; "int8": an identity of its own.
    """

    runtime = "onnxruntime"

    def __init__(self, path: Optional[Path] = None, threads: Optional[int] = None, variant: str = "fp32"):
        self.variant = check_variant(variant)
        self._path = Path(path) if path else None
        self._threads = threads
        self._sessions: dict[int, object] = {}
        self._lock = threading.Lock()  # one tokenizer/session call at a time (tokenizers#537)

    def identity(self) -> dict:
        return model_identity(self.variant)

    @property
    def path(self) -> Path:
        return self._path or onnx_path(self.variant)

    def session(self, single: bool = False):
        """One thread for a single text (a query is faster alone than split under load), all for batches."""
        threads = 1 if single else self._threads
        key = threads or 0
        if key not in self._sessions:
            self._sessions[key] = _session(model_file(self.variant, self.path), threads)
        return self._sessions[key]

    def load(self) -> None:
        """Make the model file and the sessions a build will use now (a build calls this in a thread of its
        own while the first files are read, rather than when the first window is embedded)."""
        with self._lock:
            self.lanes()

    def lanes(self) -> list:
        """For many texts: one one-thread session per core (up to 4), each running whole batches. Independent
        batches keep both cores busy where a two-thread session waits on its slower thread at every operator
        (1.09x on a calm machine; docs/performance.md)."""
        n = min(4, os.cpu_count() or 1)
        if self._threads is not None or n == 1:
            return [self.session()]
        return [self.session(single=True)] + [self._lane(k) for k in range(1, n)]

    def _lane(self, k: int):
        key = -k  # lane k's own one-thread session (key 1 is the shared single-text one, lane 0)
        if key not in self._sessions:
            self._sessions[key] = _session(model_file(self.variant, self.path), 1)
        return self._sessions[key]

    def encode(self, texts: Sequence[str], batch_size: int = BATCH, progress: bool = False) -> np.ndarray:
        if not texts:
            return no_vectors()
        with self._lock:
            seqs = token_ids([str(t) for t in texts])
            # longest first by word pieces, so a batch pads little (padding costs as much as text)
            many = len(seqs) > batch_size
            return embed_batches(self.lanes() if many else self.session(single=len(seqs) == 1), seqs,
                                 length_order(seqs), batch_size)
