"""Embedding throughput: fp32 against int8, and the batching settings, measured in one process.

    python -m eval.embed_bench                       # every experiment, 5 rounds
    python -m eval.embed_bench --experiments variants --rounds 7 --out embed.json

Three sets of texts. The shipped corpus's passages: exactly the texts a build of
corpus/ embeds (captured from a real build, in its order), embedded as the build
does, in calls of 64. Report-like passages: the corpus's running text cut into
passages that fill the model's 256-piece window, spelled out like the build's.
Queries: the 84 labelled queries, one call each on a one-thread session, as a
search embeds them.

Every configuration of an experiment is timed once per round, the configurations
interleaved within the round, so a change in the machine's load falls on all of
them alike; the figure is the median over the rounds, with the load average
(1 min) read at the start of each round. This is a benchmark, not a test: it
asserts nothing.
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

from indexer.model import MAX_SEQ_LENGTH
from indexer.onnx_embedder import BATCH

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
BUILD_CALL = 64  # texts per encode call in indexer/build.py
LONG_PIECES = 240  # word pieces per report-like passage (+ [CLS], [SEP] and the spelled-out glossary)
LONG_PASSAGES = 64
EXPERIMENTS = ("variants", "queries", "order", "batch", "threads", "window")


@dataclass(frozen=True)
class Config:
    name: str
    model: Path
    threads: int = 2
    batch: int = BATCH
    order: str = "tokens"  # tokens (the embedder's), chars (the one before), none (input order)
    window: int = MAX_SEQ_LENGTH
    call: int = BUILD_CALL  # texts per encode call: 1 for queries


def corpus_passages(work: Path) -> list[str]:
    """The texts a build of corpus/ embeds, in order (the canary left out)."""
    from indexer.build import build_index
    from indexer.embedder import default_embedder
    from indexer.model import CANARY_TEXT

    class Recorder:
        def __init__(self, inner):
            self.inner, self.texts = inner, []

        def identity(self):
            return self.inner.identity()

        def encode(self, texts, batch_size=32, progress=False):
            self.texts += list(texts)
            return self.inner.encode(texts)  # with its own batch size

    rec = Recorder(default_embedder("fp32"))
    build_index([CORPUS], work / "index", embedder=rec, rebuild=True)
    return [t for t in rec.texts if t != CANARY_TEXT]


def long_passages() -> list[str]:
    """Consecutive lines of the corpus's documents packed to ~LONG_PIECES word pieces, spelled out."""
    from indexer.analyzer import Analyzer
    from indexer.model import count_tokens

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
    from indexer.analyzer import Analyzer

    analyzer = Analyzer.default()
    with (REPO / "eval" / "queries.jsonl").open(encoding="utf-8") as f:
        return [analyzer.spell_out(json.loads(line)["query"]) for line in f if line.strip()]


def _ordering(order: str, texts: list[str], seqs: list) -> np.ndarray:
    from indexer.onnx_embedder import length_order

    if order == "tokens":
        return length_order(seqs)
    if order == "chars":
        return np.argsort([-len(t) for t in texts], kind="stable")
    return np.arange(len(seqs))


def encoder(cfg: Config) -> Callable[[list[str]], np.ndarray]:
    """Encode as the build does (calls of BUILD_CALL texts), with this configuration's settings."""
    from indexer.onnx_embedder import _session, embed_batches, token_ids

    session = _session(cfg.model, cfg.threads)

    def encode(texts: list[str]) -> np.ndarray:
        parts = []
        for i in range(0, len(texts), cfg.call):
            call = texts[i:i + cfg.call]
            seqs = token_ids(call)
            if cfg.window < MAX_SEQ_LENGTH:  # keep [CLS] ... [SEP] shape: cut the text, then close it again
                seqs = [s[:cfg.window - 1] + [s[-1]] if len(s) > cfg.window else s for s in seqs]
            parts.append(embed_batches(session, seqs, _ordering(cfg.order, call, seqs), cfg.batch))
        return np.concatenate(parts)

    return encode


def timed(configs: list[Config], texts: list[str], rounds: int) -> dict:
    """passages/s per configuration (median over rounds, interleaved), the load at each round, vectors."""
    encoders = {c.name: encoder(c) for c in configs}
    vectors = {name: enc(texts) for name, enc in encoders.items()}  # warm-up, and the vectors compared
    seconds: dict[str, list[float]] = {c.name: [] for c in configs}
    loads = []
    for r in range(rounds):
        loads.append(os.getloadavg()[0])
        names = list(encoders) if r % 2 == 0 else list(reversed(encoders))  # no config always runs first
        for name in names:
            t = time.perf_counter()
            encoders[name](texts)
            seconds[name].append(time.perf_counter() - t)
    rows = {name: {"passages_per_s": len(texts) / statistics.median(s), "seconds": [round(x, 3) for x in s]}
            for name, s in seconds.items()}
    return {"rows": rows, "load_1min": loads, "load_median": statistics.median(loads), "vectors": vectors,
            "texts": len(texts)}


def cosine_to(vectors: dict, ref: np.ndarray) -> dict:
    out = {}
    for name, v in vectors.items():
        c = np.sum(v * ref, axis=1)
        out[name] = {"mean": float(c.mean()), "min": float(c.min())}
    return out


def models(work: Path) -> dict[str, Path]:
    """fp32, int8 as shipped (every weight matrix int8), and the int8 alternative measured against it: the
    feed-forward output matrices (1536 -> 384, the widest activations) left in fp32."""
    from indexer.onnx_embedder import FFN_OUTPUT, export_onnx, quantise_int8

    return {"fp32": export_onnx(), "int8": quantise_int8(),
            "int8 ffn-out fp32": quantise_int8(work / "int8-ffn.onnx", keep_fp32=FFN_OUTPUT)}


def experiments(names: list[str], m: dict[str, Path]) -> dict[str, list[Config]]:
    plans = {
        # and fp32 as embedded before this benchmark's changes: sorted by characters, batches of 32
        "variants": [Config("fp32 before", m["fp32"], order="chars", batch=32)]
        + [Config(v, m[v]) for v in ("fp32", "int8", "int8 ffn-out fp32")],
        # one query at a time on one thread, as the Searcher runs it
        "queries": [Config(f"{v} one query", m[v], threads=1, call=1) for v in ("fp32", "int8")],
        "order": [Config(f"{v} order={o}", m[v], order=o) for v in ("fp32", "int8")
                  for o in ("tokens", "chars", "none")],
        "batch": [Config(f"{v} batch={b}", m[v], batch=b) for v in ("fp32", "int8") for b in (1, 2, 4, 8, 16, 32)],
        "threads": [Config(f"{v} threads={t}", m[v], threads=t) for v in ("fp32", "int8") for t in (1, 2)],
        "window": [Config(f"fp32 window={w}", m["fp32"], window=w) for w in (128, MAX_SEQ_LENGTH)],
    }
    return {n: plans[n] for n in names}


def main(argv: Optional[list[str]] = None) -> int:
    from indexer.model import offline

    offline()
    ap = argparse.ArgumentParser(prog="python -m eval.embed_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--experiments", default=",".join(EXPERIMENTS), help=f"comma-separated: {', '.join(EXPERIMENTS)}")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the JSON result instead of the tables")
    ap.add_argument("--out", metavar="FILE", default=None, help="also write the JSON result to FILE")
    args = ap.parse_args(argv)
    names = [n.strip() for n in args.experiments.split(",") if n.strip()]
    unknown = set(names) - set(EXPERIMENTS)
    if unknown:
        ap.error(f"unknown experiments {sorted(unknown)}; choose from {', '.join(EXPERIMENTS)}")
    result: dict = {"cpus": os.cpu_count(), "build_call": BUILD_CALL}
    with tempfile.TemporaryDirectory(prefix="embed-bench-") as tmp:
        work = Path(tmp)
        sets = {"corpus passages": corpus_passages(work), "report-like passages": long_passages(),
                "queries": queries()}
        m = models(work)
        # every configuration's vectors against fp32's as shipped (sorted by length, batches of 8, window 256)
        refs = {name: encoder(Config("fp32", m["fp32"]))(texts) for name, texts in sets.items()}
        for exp, configs in experiments(names, m).items():
            for set_name, texts in sets.items():
                if (exp == "queries") != (set_name == "queries"):
                    continue
                if exp not in ("variants", "window", "batch", "queries") and set_name != "corpus passages":
                    continue  # the other tuning experiments on the build's own texts only: keeps the run short
                r = timed(configs, texts, args.rounds)
                r["cosine"] = cosine_to(r.pop("vectors"), refs[set_name])
                result[f"{exp} / {set_name}"] = r
                if not args.json:
                    _print(f"{exp} / {set_name}", r)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


def _print(title: str, r: dict) -> None:
    print(f"\n{title}: {r['texts']} passages, load average (1 min) at each round "
          f"{', '.join(f'{x:.1f}' for x in r['load_1min'])} (median {r['load_median']:.1f})")
    for name, row in r["rows"].items():
        cos = (r["cosine"] or {}).get(name)
        extra = f"   cosine to fp32 mean {cos['mean']:.4f} min {cos['min']:.4f}" if cos else ""
        per = f"   ({1000 / row['passages_per_s']:.1f} ms each)" if "query" in name else ""
        print(f"  {name:24s} {row['passages_per_s']:7.1f} passages/s{per}{extra}")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
