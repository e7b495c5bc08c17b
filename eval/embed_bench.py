"""Embedding: the numeric paths side by side, in one process: speed, closeness to fp32, and whether a text's
vector depends on its batch-mates.

    python -m eval.embed_bench                 # 5 rounds
    python -m eval.embed_bench --rounds 7 --out embed.json

Paths: fp32 and int8 (7-bit weights) one text per run, as the embedder runs them; and, for the record, the
paths before issue 18: fp32 and int8 (8-bit weights) in padded batches of 4 sorted by length. Texts: the
shipped corpus's passages (exactly what a build embeds, in its order), report-like passages (the corpus's
running text packed to ~240 word pieces), and the 84 labelled queries one at a time (as a search embeds them).

Each path runs on one-thread sessions, one per core, side by side, as a build runs them. Every path is timed
once per round, the paths interleaved within the round, so a change in the machine's load falls on all of them
alike; the figure is the median over rounds, with the load average (1 min) at each round. "batch effect" is
the largest difference of one component between a text embedded alone and in its batch. This is a benchmark,
not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
LONG_PIECES = 240  # word pieces per report-like passage (+ [CLS], [SEP] and the spelled-out glossary)
LONG_PASSAGES = 64
BEFORE_BATCH = 4  # the batches of the paths before issue 18


@dataclass(frozen=True)
class Path_:
    name: str
    model: Path
    batch: int = 1  # 1: one text per run (today); BEFORE_BATCH: padded batches sorted by length (before)


def corpus_passages(work: Path) -> list[str]:
    """The texts a build of corpus/ embeds, in order (the canary left out)."""
    from indexer.build import build_index
    from indexer.embedding.embedder import default_embedder
    from indexer.embedding.model import CANARY_TEXT

    class Recorder:
        def __init__(self, inner):
            self.inner, self.texts = inner, []

        def identity(self):
            return self.inner.identity()

        def encode(self, texts):
            self.texts += list(texts)
            return self.inner.encode(texts)

    rec = Recorder(default_embedder("fp32"))
    build_index([CORPUS], work / "index", embedder=rec, rebuild=True, no_cache=True)
    return [t for t in rec.texts if t != CANARY_TEXT]


def long_passages() -> list[str]:
    """Consecutive lines of the corpus's documents packed to ~LONG_PIECES word pieces, spelled out."""
    from indexer.embedding.model import count_tokens
    from indexer.text.analyzer import Analyzer

    analyzer = Analyzer.default()
    out: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        buf, n = [], 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            buf.append(line.strip())
            n += count_tokens(line)
            if n >= LONG_PIECES:
                out.append(analyzer.spell_out(" ".join(buf)))
                buf, n = [], 0
    return out[:LONG_PASSAGES]


def queries() -> list[str]:
    """The labelled queries, spelled out as the Searcher embeds them."""
    from indexer.text.analyzer import Analyzer

    analyzer = Analyzer.default()
    with (REPO / "eval" / "queries.jsonl").open(encoding="utf-8") as f:
        return [analyzer.spell_out(json.loads(line)["query"]) for line in f if line.strip()]


def _padded_batches(lanes: list, seqs: list, batch: int) -> np.ndarray:
    """The path before issue 18: rows sorted longest first, padded batches, lanes taking every n-th batch."""
    from concurrent.futures import ThreadPoolExecutor

    from indexer.embedding.onnx_embedder import _run, pad

    order = np.argsort(-np.fromiter(map(len, seqs), dtype=np.int64), kind="stable")
    out = np.empty((len(seqs), 384), dtype=np.float32)
    batches = [order[i:i + batch] for i in range(0, len(seqs), batch)]

    def lane(k: int) -> None:
        for rows in batches[k::len(lanes)]:
            out[rows] = _run(lanes[k], *pad([seqs[r] for r in rows]))

    with ThreadPoolExecutor(len(lanes)) as pool:
        list(pool.map(lane, range(len(lanes))))
    return out


def encoder(path: Path_, one_at_a_time: bool = False) -> Callable[[list[str]], np.ndarray]:
    from indexer.embedding.onnx_embedder import _session, embed_each, token_ids

    lanes = [_session(path.model) for _ in range(1 if one_at_a_time else min(4, os.cpu_count() or 1))]

    def encode(texts: list[str]) -> np.ndarray:
        if one_at_a_time:  # a search: each query its own call
            return np.stack([embed_each(lanes, token_ids([t]))[0] for t in texts])
        seqs = token_ids(texts)
        return embed_each(lanes, seqs) if path.batch == 1 else _padded_batches(lanes, seqs, path.batch)

    return encode


def batch_effect(path: Path_, texts: list[str]) -> float:
    """Largest component difference between each text alone and the same text among the others."""
    alone = np.stack([encoder(Path_(path.name, path.model, 1))([t])[0] for t in texts])
    return float(np.abs(encoder(path)(texts) - alone).max())


def timed(paths: list[Path_], texts: list[str], rounds: int, one_at_a_time: bool = False) -> dict:
    encoders = {p.name: encoder(p, one_at_a_time) for p in paths}
    vectors = {name: enc(texts) for name, enc in encoders.items()}  # warm-up, and the vectors compared
    seconds: dict[str, list[float]] = {p.name: [] for p in paths}
    loads = []
    for r in range(rounds):
        loads.append(os.getloadavg()[0])
        for name in (list(encoders) if r % 2 == 0 else list(reversed(encoders))):  # no path always first
            t = time.perf_counter()
            encoders[name](texts)
            seconds[name].append(time.perf_counter() - t)
    ref = vectors[paths[0].name]
    rows = {}
    for p in paths:
        cos = np.sum(vectors[p.name] * ref, axis=1)
        rows[p.name] = {"passages_per_s": len(texts) / statistics.median(seconds[p.name]),
                        "seconds": [round(x, 3) for x in seconds[p.name]],
                        "cosine_to_fp32": {"mean": float(cos.mean()), "min": float(cos.min())}}
    return {"rows": rows, "load_1min": loads, "texts": len(texts)}


def paths(work: Path) -> list[Path_]:
    """fp32 first (the reference the cosines are taken to)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from indexer.embedding.onnx_embedder import export_onnx, quantise_int8

    fp32 = export_onnx()
    int8_8bit = work / "int8-8bit.onnx"  # issue 14's int8: 8-bit weights, saturating without VNNI
    quantize_dynamic(str(fp32), str(int8_8bit), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul"])
    return [Path_("fp32", fp32), Path_("int8 (7-bit)", quantise_int8()),
            Path_("fp32, batches of 4 (before)", fp32, BEFORE_BATCH),
            Path_("int8 8-bit, batches of 4 (before)", int8_8bit, BEFORE_BATCH)]


def main(argv: Optional[list[str]] = None) -> int:
    from indexer.embedding.golden import machine
    from indexer.embedding.model import offline

    offline()
    ap = argparse.ArgumentParser(prog="python -m eval.embed_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the JSON result instead of the tables")
    ap.add_argument("--out", metavar="FILE", default=None, help="also write the JSON result to FILE")
    args = ap.parse_args(argv)
    result: dict = {"cpus": os.cpu_count(), "machine": machine()}
    with tempfile.TemporaryDirectory(prefix="embed-bench-") as tmp:
        work = Path(tmp)
        all_paths = paths(work)
        sets = {"corpus passages": corpus_passages(work), "report-like passages": long_passages()}
        for name, texts in sets.items():
            r = timed(all_paths, texts, args.rounds)
            for p in all_paths:
                r["rows"][p.name]["batch_effect"] = batch_effect(p, texts[:48])
            result[name] = r
            if not args.json:
                _print(name, r)
        r = timed(all_paths[:2], queries(), args.rounds, one_at_a_time=True)
        result["queries"] = r
        if not args.json:
            _print("queries, one at a time", r)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


def _print(title: str, r: dict) -> None:
    print(f"\n{title}: {r['texts']} texts, load average (1 min) at each round "
          f"{', '.join(f'{x:.1f}' for x in r['load_1min'])}")
    for name, row in r["rows"].items():
        cos = row["cosine_to_fp32"]
        effect = f"   batch effect {row['batch_effect']:.1e}" if "batch_effect" in row else ""
        per = f" ({1000 / row['passages_per_s']:.1f} ms each)" if "queries" in title else ""
        print(f"  {name:36s} {row['passages_per_s']:7.1f}/s{per}   cosine to fp32 mean {cos['mean']:.4f} "
              f"min {cos['min']:.4f}{effect}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
