"""Gold file validation: every problem reported with its line number, nothing partial."""

from __future__ import annotations

import json

import pytest

from eval.gold import load_gold, parse_gold
from hoidap.errors import GoldFileError, InputError

SOURCES = {"a.txt", "b.txt"}


def line(**fields) -> str:
    base = {
        "id": "q1",
        "question": "Phòng Kinh tế chịu trách nhiệm gì?",
        "answerable": True,
        "type": "agency",
        "expected": [{"source": "a.txt", "contains": "Phòng Kinh tế"}],
        "key_facts": ["Phòng Kinh tế"],
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not ...}, ensure_ascii=False)


def problems_of(text: str, sources=SOURCES) -> list[str]:
    with pytest.raises(GoldFileError) as info:
        parse_gold(text, sources=sources)
    return info.value.problems


def test_valid_file_loads_with_types_and_line_numbers(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(
            [
                line(),
                "",
                line(id="q2", answerable=False, type="unanswerable", expected=[], key_facts=[]),
                line(id="q3", type="nodiacritics", key_facts=...),
            ]
        ),
        encoding="utf-8",
    )
    questions = load_gold(path, sources=SOURCES)
    assert [q.id for q in questions] == ["q1", "q2", "q3"]
    assert [q.line for q in questions] == [1, 3, 4]
    assert questions[1].answerable is False and questions[1].expected == ()
    assert questions[2].type == "nodiacritics"
    assert questions[2].key_facts == ()
    assert questions[0].expected[0].contains == "Phòng Kinh tế"


def test_every_kind_of_problem_is_reported_with_its_line():
    text = "\n".join(
        [
            line(),  # 1 fine
            '{"id": "q2", "question": ',  # 2 bad JSON
            line(id="q3", question=...),  # 3 missing field
            line(id="q4", answerable="yes"),  # 4 wrong type
            line(id="q5", type=""),  # 5 empty question type
            line(id="q6", expected=[{"source": "zzz.txt", "contains": "x"}]),  # 6 unknown source
            line(id="q1"),  # 7 duplicate id
            line(id="q8", answerable=False, type="unanswerable"),  # 8 unanswerable with expected
            "[1, 2]",  # 9 not an object
            line(id="q10", key_facts="Phòng"),  # 10 key_facts not a list
            line(id="q11", expected=[]),  # 11 answerable without expected items
        ]
    )
    problems = problems_of(text)
    by_line = {int(p.split(":")[0].split()[1]): p for p in problems}
    assert set(by_line) == {2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "JSON" in by_line[2]
    assert '"question"' in by_line[3] and "thiếu" in by_line[3]
    assert '"answerable"' in by_line[4] and "'yes'" in by_line[4]
    assert '"type"' in by_line[5]
    assert "zzz.txt" in by_line[6]
    assert "q1" in by_line[7] and "dòng 1" in by_line[7]
    assert "answerable" in by_line[8] and "expected" in by_line[8]
    assert "đối tượng JSON" in by_line[9]
    assert "key_facts" in by_line[10]
    assert "ít nhất một" in by_line[11]
    assert all(p.startswith("Dòng ") for p in problems)


def test_error_message_lists_problems_in_vietnamese():
    with pytest.raises(GoldFileError) as info:
        parse_gold("not json\n" + line(type=""), sources=SOURCES)
    message = str(info.value)
    assert message.startswith("Tệp câu hỏi chuẩn không hợp lệ")
    assert "Dòng 1:" in message and "Dòng 2:" in message


def test_sources_unchecked_when_unknown():
    questions = parse_gold(line(expected=[{"source": "other.txt", "contains": "x"}]))
    assert questions[0].expected[0].source == "other.txt"


def test_empty_file_and_missing_file(tmp_path):
    assert problems_of("\n\n") == ["Tệp không có câu hỏi nào: mỗi dòng phải là một đối tượng JSON."]
    with pytest.raises(InputError, match="Không tìm thấy"):
        load_gold(tmp_path / "missing.jsonl")
