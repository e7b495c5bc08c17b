"""Write the extraction evaluation set: the documents in docs/ and their labels.

    /work/main/.venv/bin/python eval/extraction/make_documents.py            # write docs/ and the labels
    /work/main/.venv/bin/python eval/extraction/make_documents.py --check    # rebuild in memory, compare bytes

The text of every document is in content.json (read by content.py). The set is printed as PDF
(pdf_report.py, pdf_plan.py: fpdf2, core Helvetica), Word (word.py: python-docx), OpenDocument
(opendocument.py: odfpy) and a saved web page (web_page.py: hand-written HTML), and documents.jsonl,
expected.jsonl and threads.jsonl are written from the same data (labels.py; pages of PDF records are the
pages the printer put them on); build.py puts it together. Output is deterministic: PDF creation dates,
Word core properties, OpenDocument metadata and zip timestamps are fixed.

Nothing here imports the project's indexer, search or ui (or tests/): the set must not depend on what it
measures.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__:
    from .build import build_set
else:  # run as a script (python eval/extraction/make_documents.py): import this folder as eval.extraction
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from eval.extraction.build import build_set

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"


def check(outputs: dict[Path, bytes]) -> int:
    """1 if a file differs from what the script makes or docs/ holds a file it does not make."""
    stale = [str(p.relative_to(HERE)) for p, data in outputs.items() if not p.is_file() or p.read_bytes() != data]
    extra = sorted(str(p.relative_to(HERE)) for p in DOCS.iterdir() if p not in outputs)
    for s in stale:
        print(f"differs: {s}")
    for s in extra:
        print(f"not made by this script: {s}")
    return 1 if stale or extra else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="build in memory and compare with what is on disk")
    args = ap.parse_args(argv)
    outputs = {HERE / name: data for name, data in build_set().items()}
    if args.check:
        return check(outputs)
    DOCS.mkdir(exist_ok=True)
    for path, data in outputs.items():
        path.write_bytes(data)
    documents = sum(1 for p in outputs if p.parent == DOCS)
    records = outputs[HERE / "expected.jsonl"].count(b"\n")
    threads = outputs[HERE / "threads.jsonl"].count(b"\n")
    print(f"{documents} documents in {DOCS.relative_to(HERE.parent.parent)}, {records} expected records, "
          f"{threads} threads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
