"""Regenerate the data dictionary section of README.md from the schemas: ``make docs``.

The example values come from the bundled snapshot. ``tests/test_analysts.py`` fails when the
README's section differs from what this produces.
"""

from __future__ import annotations

import sys
from pathlib import Path

from extract import extract_table
from rdv_opendata.pipeline import build_frames
from rdv_opendata.settings import DEFAULT_SOURCE
from schemas.dictionary import dictionary_markdown, replace_section
from schemas.frames import to_records

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_dictionary() -> str:
    frames = build_frames(extract_table(DEFAULT_SOURCE.read_bytes()))
    examples = {name: to_records(name, frame) for name, frame in frames.items()}
    return dictionary_markdown(examples, heading="###")


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else README
    path.write_text(
        replace_section(path.read_text(encoding="utf-8"), readme_dictionary()), encoding="utf-8"
    )
    print(f"updated the data dictionary in {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
