"""Long list answers in the chat: whole, one collapsible group per document, escaped."""

from __future__ import annotations

from ui.render import answer_markdown


def _answer(rows: int) -> str:
    lines = [f"Có {rows + 1} nhiệm vụ trong phụ lục:", "Theo Kế hoạch <b>A</b>:"]
    lines += [
        f"- Nhiệm vụ {i} <script>x</script> — thời hạn: Tháng {i}/2026 [{i}]"
        for i in range(1, rows + 1)
    ]
    lines += ["Theo Kế hoạch B:", f"- Nhiệm vụ cuối [{rows + 1}]"]
    return "\n".join(lines)


def test_long_list_is_grouped_whole_and_escaped() -> None:
    html = answer_markdown(_answer(17), turn=3)
    assert html.count("<details") == 2 and html.count("<li>") == 18
    assert "<summary>Theo Kế hoạch &lt;b&gt;A&lt;/b&gt; (17)</summary>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="#hd-cite-3-18"' in html and 'href="#hd-cite-3-1"' in html
    assert html.startswith("Có 18 nhiệm vụ trong phụ lục:")


def test_short_answers_and_very_long_lists() -> None:
    short = answer_markdown(_answer(2), turn=1)
    assert "<details" not in short and 'href="#hd-cite-1-3"' in short
    assert " open>" in answer_markdown(_answer(17), turn=1)
    assert " open>" not in answer_markdown(_answer(60), turn=1)  # collapsed, still whole
    assert answer_markdown(_answer(60), turn=1).count("<li>") == 61
