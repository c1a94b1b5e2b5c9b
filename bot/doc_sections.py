"""Generated sections of a Markdown document, kept between `<!-- NAME:start -->` and
`<!-- NAME:end -->` markers so the text around them stays hand-written (docs/benchmarks.md)."""
from __future__ import annotations

import re
from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def replace_section(text: str, name: str, content: str, heading: str) -> str:
    """`text` with the section `name` holding `content`: replaced in place when its markers are
    there, else appended under `heading`. Other sections and prose are left as they were."""
    start, end = markers(name)
    block = f"{start}\n{content}\n{end}"
    if start in text and end in text:
        return re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, count=1, flags=re.S)
    return text.rstrip("\n") + f"\n\n{heading}\n\n{block}\n"


def write_section(path: Path, name: str, content: str, heading: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    path.write_text(replace_section(text, name, content, heading))
