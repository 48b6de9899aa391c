"""The English translation is complete and compiled."""

from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES"


def _entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) from the .po file, read without extra libraries."""
    entries, msgid, msgstr, fuzzy, current = [], None, [], False, None
    for line in [*(LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            msgid, current = [line[7:-1]], "id"
        elif line.startswith(("msgstr ", "msgstr[")):
            msgstr.append(line.split(" ", 1)[1][1:-1])
            current = "str"
        elif line.startswith('"') and current == "id" and msgid is not None:
            msgid.append(line[1:-1])
        elif line.startswith('"') and current == "str":
            msgstr[-1] += line[1:-1]
        elif not line.strip() and msgid is not None:
            entries.append(("".join(msgid), " ".join(msgstr), fuzzy))
            msgid, msgstr, fuzzy, current = None, [], False, None
    return [e for e in entries if e[0]]


def test_every_string_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 100
    assert [e[0] for e in entries if not e[1].strip() or e[2]] == []


@pytest.mark.parametrize(
    ("swedish", "english"),
    [
        ("Logga in", "Log in"),
        ("Logggranskning", "Log review"),
        ("Skyddad identitet", "Protected identity"),
    ],
)
def test_the_compiled_catalogue_is_used(swedish, english):
    with translation.override("en"):
        assert translation.gettext(swedish) == english
    with translation.override("sv"):
        assert translation.gettext(swedish) == swedish
