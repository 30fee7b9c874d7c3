"""Give each catalogue the header its language needs after makemessages (which writes a
template's placeholders): the language, its plural rule, no "fuzzy" mark on the header
(a fuzzy header is not compiled), and no creation date (it changed on every run and made
every branch's catalogue conflict with every other's)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PLURALS = {
    "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}


def fix(po: Path) -> None:
    language = po.parent.parent.name
    text = po.read_text(encoding="utf-8")
    head, sep, rest = text.partition('\nmsgid ""\nmsgstr ""\n')
    head = "\n".join(line for line in head.splitlines() if line != "#, fuzzy")
    lines = []
    for line in rest.split("\n\n", 1)[0].splitlines():
        if line.startswith('"POT-Creation-Date:'):
            continue
        if line.startswith('"Language:'):
            line = f'"Language: {language}\\n"'
        if line.startswith('"Plural-Forms:') and language in PLURALS:
            line = f'"Plural-Forms: {PLURALS[language]}\\n"'
        lines.append(line)
    body = rest.split("\n\n", 1)[1] if "\n\n" in rest else ""
    text = head + sep + "\n".join(lines) + "\n\n" + body
    text = re.sub(r"\n{3,}", "\n\n", text)
    po.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        fix(Path(name))
