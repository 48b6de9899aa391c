"""Every table scrolls inside its own named region, so a wide table never runs past the page on
a narrow screen (phone width) and axe finds the scrolling region focusable and labelled."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1]
REGION = re.compile(
    r'<div class="tillit-table-scroll" role="region" aria-(label|labelledby)="[^"]+" tabindex="0">'
    r"\s*$"
)


def test_every_table_is_wrapped_in_a_labelled_scroll_region():
    unwrapped = []
    for path in sorted(TEMPLATES.glob("**/templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if not REGION.search(text[max(0, match.start() - 300) : match.start()]):
                line = text.count("\n", 0, match.start()) + 1
                unwrapped.append(f"{path.relative_to(TEMPLATES)}:{line}")
    assert unwrapped == []
