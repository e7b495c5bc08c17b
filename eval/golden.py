"""`python -m eval.golden [--write]`: how this machine's vectors compare with the golden ones
(indexer/golden_vectors.json, checked by indexer/golden.py whenever a model loads); `--write` records this
machine's as the golden ones, for when the model, its export or the numeric path changes on purpose.
"""
from __future__ import annotations

import base64
import json
import sys
from typing import Sequence

from indexer.embedding.golden import GOLDEN_FILE, check, machine, texts
from indexer.embedding.model import VARIANTS

# the texts recorded by `--write` when there is no file yet: short, long (past the model's window), the
# canary, unicode, one letter, an abbreviation spelled out as the analyzer spells it
GOLDEN_TEXTS = (
    "Senior probation officers' workloads are reviewed by HM Inspectorate of Probation.",
    "Review the role of the Senior Probation Officer in order to ensure that the workload is manageable",
    "x",
    "  whitespace, UNICODE – ‘quotes’ and numbers 2020/21  ",
    "SPO (senior probation officer) workload",
    "Recommendation 17: Consider how SPO (senior probation officer) workloads are measured, including the impact "
    "and effectiveness of the touchpoint management oversight expectations (for Northamptonshire PDU (probation "
    "delivery unit)). Status: Agreed. Response: " + " ".join(
        f"The regional workforce plan sets out step {i} of the recruitment, vetting and retention work, with the "
        f"head of service reporting progress to the regional leadership team each quarter." for i in range(1, 9)),
)




def _encoder(variant: str):
    from indexer.embedding.onnx_embedder import _session, embed_each, model_file, token_ids

    session = _session(model_file(variant))
    return lambda t: embed_each([session], token_ids(list(t)))


def write(golden_texts: Sequence[str], variants: Sequence[str] = VARIANTS) -> None:
    """Record this machine's vectors as the golden ones (atomically)."""
    from indexer.embedding.model import numeric_path, runtime
    from indexer.fsio import atomic_write

    out: dict = {"texts": list(golden_texts), "variants": {}}
    for v in variants:
        vecs = _encoder(v)(golden_texts)
        out["variants"][v] = {"recorded_on": machine(),
                              "numeric": numeric_path(v, runtime("onnxruntime", "tokenizers")),
                              "vectors": [base64.b64encode(x.tobytes()).decode("ascii") for x in vecs]}
    atomic_write(GOLDEN_FILE, (json.dumps(out, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from indexer.embedding.model import offline

    offline()
    p = argparse.ArgumentParser(prog="python -m eval.golden", description=__doc__.split("\n\n")[0])
    p.add_argument("--write", action="store_true", help="record this machine's vectors as the golden ones")
    args = p.parse_args(argv)
    if args.write:
        write(texts() if GOLDEN_FILE.exists() else GOLDEN_TEXTS)
    for v in VARIANTS:
        r = check(v, _encoder(v))
        print(f"{v}: {'ok' if r.ok else 'DIFFERENT'} on {machine()}: largest difference {r.max_abs:.2e} (tolerance "
              f"{r.tolerance[0]:.0e}), lowest cosine {r.min_cos:.7f}, identical bytes {r.identical} "
              f"(recorded on {r.recorded_on})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
