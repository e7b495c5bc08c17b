"""What every tab of the app shares: the handlers, who is asking, and the controls other tabs refresh.

    ctx = AppContext.create(index_dir, uploads_dir=..., access=...)
    ctx.user(request)                          # the signed-in User of a Gradio request
    ctx.choices.append(Choice(dropdown, kind)) # refreshed on every page load and after every upload
    ctx.writers.append((component, "upload"))  # shown only to a user whose role allows the action

A page opened after an upload must offer the new documents and records: the choices are
filled when each page loads (not when the app was built) and again after each upload.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from indexer.index.store import resolve_index_dir
from indexer.uploads import resolve_uploads_dir
from ui.auth import AccessSettings, SignInGate, User
from ui.handlers import ANY, AppSettings, Handlers, SearcherHolder

# what a Choice holds: document types, publishers, addressees, indexed records, indexed documents, removed ones
CHOICE_KINDS = ("types", "publishers", "addressees", "records", "documents", "removed")


@dataclass(frozen=True)
class Choice:
    component: Any  # a gr.Dropdown
    kind: str  # one of CHOICE_KINDS


@dataclass
class AppContext:
    settings: AppSettings
    holder: SearcherHolder
    handlers: Handlers
    gate: Optional[SignInGate] = None  # None: no sign-in configured (a loopback app, everyone may do all)
    choices: list[Choice] = field(default_factory=list)
    writers: list[tuple[Any, str]] = field(default_factory=list)  # (component, action it needs)
    _initial: Optional[dict] = None  # the choices when the page was built (`initial`)

    @classmethod
    def create(cls, index_dir=None, *, uploads_dir=None, generator=None, embedder=None, analyzer=None,
               access: Optional[AccessSettings] = None) -> "AppContext":
        index_dir = resolve_index_dir(index_dir)
        settings = AppSettings(Path(index_dir), resolve_uploads_dir(index_dir, uploads_dir),
                               Path(tempfile.mkdtemp(prefix="inspection-search-app-")), generator)
        holder = SearcherHolder(settings.index_dir, embedder, analyzer)
        return cls(settings, holder, Handlers(settings, holder), SignInGate(access) if access else None)

    def user(self, request) -> Optional[User]:
        """The User behind a Gradio request (None: nobody signed in, refused by every writing handler)."""
        from ui.auth import open_user

        if self.gate is None:
            return open_user()
        return self.gate.identity(getattr(request, "username", None) if request is not None else None)

    def initial(self, kind: str) -> list:
        """The choices of a kind when the page is built (the API checks values against these; every page load
        then fills in the current ones)."""
        if self._initial is None:
            self._initial = self.choice_values() if self.settings.index_dir.exists() else \
                {k: [(ANY, ANY)] if k == "records" else [] if k in ("documents", "removed") else [ANY]
                 for k in CHOICE_KINDS}
        return self._initial[kind]

    def choice_values(self) -> dict[str, list]:
        from ui.document_changes import removed_choices

        types, pubs, addressees = self.handlers.facets()
        return {"types": types, "publishers": pubs, "addressees": addressees,
                "records": [(ANY, ANY)] + self.handlers.record_choices(),
                "documents": self.handlers.document_choices(), "removed": removed_choices(self.settings.index_dir)}
