"""List numbering as printed, and whether the next item carries the list on.

    marker_key("3.")      # -> ("decimal", (3,))
    marker_key("1.2")     # -> ("decimal", (1, 2))
    marker_key("(c)")     # -> ("letter", (3,))
    follows(marker_key("9."), marker_key("10."))          # -> True
    follows(marker_key("9."), marker_key("2."))           # -> False: the list has stopped ("2. Recruitment ...")
    follows(marker_key("1.2"), marker_key("2.1"), True)   # -> True: the next group of a "1.1" list

A report's recommendations are one numbered list (sometimes restarted under each addressee);
a chapter heading numbered "2." two pages later, or a new list in a chapter that starts again at
"1.", does not carry it on. indexer/extract/report_recs.py ends a recommendations list where the
numbering stops.
"""
from __future__ import annotations

import re
from typing import Optional

MarkerKey = tuple[str, tuple[int, ...]]
_DECIMAL = re.compile(r"^\(?(\d{1,3}(?:\.\d{1,3})*)[.):]?$")
_LETTER = re.compile(r"^\(?([a-z])[.):]?$", re.IGNORECASE)


def marker_key(printed: Optional[str]) -> Optional[MarkerKey]:
    """The numbering of a printed marker ("3.", "(3)", "1.2", "c)"); None for a bullet or anything else."""
    p = (printed or "").strip()
    m = _DECIMAL.match(p)
    if m:
        return "decimal", tuple(int(x) for x in m.group(1).split("."))
    m = _LETTER.match(p)
    if m:
        return "letter", (ord(m.group(1).lower()) - ord("a") + 1,)
    return None


def integer(printed: Optional[str]) -> Optional[int]:
    """The number of a plainly numbered marker ("3.", "(3)"); None for "1.2", letters and bullets."""
    key = marker_key(printed)
    return key[1][0] if key and key[0] == "decimal" and len(key[1]) == 1 else None


def follows(prev: Optional[MarkerKey], key: Optional[MarkerKey], new_group: bool = False) -> bool:
    """Whether `key` carries on a list whose last item was `prev`. `new_group`: an addressee line came
    between them, where some reports start their numbering again (at 1, or a)."""
    if prev is None or key is None:
        return True  # bullets, or the first item: nothing to check
    if prev[0] != key[0]:
        return False
    p, k = prev[1], key[1]
    if len(p) != len(k):
        return False
    if k[:-1] == p[:-1] and k[-1] == p[-1] + 1:
        return True  # 3 -> 4, 1.2 -> 1.3, c -> d
    if len(k) > 1 and k[:-2] == p[:-2] and k[-2] == p[-2] + 1 and k[-1] == 1:
        return True  # 1.3 -> 2.1
    return new_group and k == (1,)  # numbering started again under a new addressee
