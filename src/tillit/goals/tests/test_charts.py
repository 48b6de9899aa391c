"""tillit.charts: an accessible SVG whose text is escaped and whose lines break at gaps."""

from decimal import Decimal

from tillit.charts import Rule, Series, line_chart


def test_a_line_chart_reads_its_values_out_and_escapes_text():
    svg = line_chart(
        [Series("<Kommun>", [Decimal("88"), None, Decimal("91.5"), Decimal("92")])],
        x_labels=["2022", "2023", "2024", "2025"],
        rules=[Rule(Decimal("90"), "Mål")],
        title="Nöjdhet & trygghet",
        unit="%",
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title>Nöjdhet &amp; trygghet</title>" in svg
    assert "&lt;Kommun&gt;: 2022 88 %, 2023 –, 2024 91,5 %, 2025 92 %; Mål: 90" in svg
    assert "<Kommun>" not in svg
    # One point before the gap draws no line; the two after it draw one.
    assert svg.count("<polyline") == 1
    assert svg.count("<circle") == 3


def test_an_empty_chart_still_draws():
    svg = line_chart([Series("Ingen", [None, None])], x_labels=["2024", "2025"], title="Tom")
    assert "<polyline" not in svg
