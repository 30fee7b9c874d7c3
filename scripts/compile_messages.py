"""Compile every translation catalogue (src/ampwork/**/locale/*/LC_MESSAGES/django.po)
into the .mo file Django reads, with Babel (pure Python: no GNU gettext needed).

Run by scripts/messages.sh (``compile``), scripts/test.sh and the package build
(setup.py), so a wheel and a checkout alike carry compiled catalogues. The .mo files are
build output and are not kept in git (.gitignore).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogues(root: Path) -> int:
    """Write a .mo beside each .po under ``root`` whose .mo is missing or older; returns
    how many were written."""
    written = 0
    for po in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalogue, use_fuzzy=False)
        written += 1
    return written


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "src" / "ampwork"
    here = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    print(f"compiled {compile_catalogues(here)} catalogue(s) under {here}")
