"""The model an index was built with: queries against an index always use the variant it was built with
(`embedder_for_index`, used by the Searcher and the app); a build uses the variant asked for
(`--model-variant`, then $INSPECTION_SEARCH_MODEL_VARIANT), else the existing index's, else the default
(`build_embedder`), so an update never switches model under an index.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from indexer.embedding.embedder import Embedder, default_embedder
from indexer.embedding.model import VARIANT_ENV
from indexer.errors import UserError
from indexer.index.store import IndexStore


def index_variant(index_dir: str | Path) -> Optional[str]:
    """The model variant the index's live generation was built with; None when there is no readable one."""
    store = IndexStore(index_dir)
    gen = store.current()
    if gen is None:
        return None
    try:
        return store.read_manifest(gen).model_variant
    except UserError:  # unreadable: the store's own read will say so
        return None


def embedder_for_index(index_dir: str | Path) -> Embedder:
    """The embedder of the variant `index_dir` was built with, so queries meet vectors of the same model;
    the configured variant where no index is built yet."""
    return default_embedder(index_variant(index_dir))


def build_embedder(index_dir: str | Path, variant: Optional[str] = None, rebuild: bool = False) -> Embedder:
    """For building: the variant asked for (option, then $INSPECTION_SEARCH_MODEL_VARIANT); else the existing
    index's, so an update never switches model under it; for a new index or a rebuild, the default."""
    asked = variant or os.environ.get(VARIANT_ENV)
    if asked or rebuild:
        return default_embedder(asked)
    return embedder_for_index(index_dir)
