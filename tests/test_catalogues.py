"""The gettext catalogues (``core/locales``): the messages extracted from the code now (the same
``pybabel extract`` as ``make translations``) are the committed template's, and every committed
language translates each of them, with the same placeholders, nothing fuzzy and nothing left
over. A message added to the code without ``make translations`` fails here; so does a
translation that drops or renames a placeholder (it would raise, or say the wrong value)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from core import i18n

ROOT = Path(__file__).resolve().parent.parent
#: ``{name}``, ``{name:02d}`` (str.format) and ``%(name)s`` (Jinja's newstyle gettext)
PLACEHOLDER = re.compile(r"\{(\w*)(?::[^}]*)?\}|%\((\w+)\)[sd]")


def read(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The template extracted from the code now, with the Makefile's options."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    options = re.search(r"^EXTRACT := (.*?)(?<!\\)\n", makefile, re.M | re.S)
    assert options, "the Makefile's EXTRACT options"
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    args = options.group(1).replace("\\\n", " ").split()
    CommandLineInterface().run(["pybabel", "-q", "extract", *args, "-o", str(pot), str(ROOT)])
    return read(pot)


def ids(catalog: Catalog) -> set[str]:
    """Each message's id (a plural's singular and plural, joined)."""
    return {m.id if isinstance(m.id, str) else "\x00".join(m.id) for m in catalog if m.id}


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def committed() -> list[str]:
    return [lang for lang in i18n.languages() if lang != i18n.DEFAULT]


def test_there_is_a_language_beside_french() -> None:
    assert "en" in committed()


def test_the_committed_template_is_the_code_s_messages(extracted: Catalog) -> None:
    template = read(i18n.LOCALES / "messages.pot")
    assert ids(extracted) == ids(template), "run make translations"
    assert len(ids(extracted)) > 200  # the site, summaries, feeds, calendars, alerts


@pytest.mark.parametrize("lang", committed())
def test_every_message_is_translated(extracted: Catalog, lang: str) -> None:
    catalog = read(i18n.catalogue_file(i18n.LOCALES, lang))
    assert ids(catalog) == ids(extracted), f"{lang}: stale, run make translations"
    missing = [m.id for m in catalog if m.id and not _translated(m)]
    assert not missing, f"{lang}: untranslated {missing[:5]}"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy {fuzzy[:5]}"


@pytest.mark.parametrize("lang", committed())
def test_every_translation_keeps_the_placeholders(lang: str) -> None:
    catalog = read(i18n.catalogue_file(i18n.LOCALES, lang))
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = (
            [message.string] if isinstance(message.string, str) else list(message.string or [])
        )
        wanted = set().union(*(placeholders(s) for s in sources))
        for said in strings:
            if placeholders(said) - wanted or (len(strings) == 1 and placeholders(said) != wanted):
                wrong.append((message.id, said))
    assert not wrong, wrong[:5]


def _translated(message: Message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string or [])
    return all(strings)
