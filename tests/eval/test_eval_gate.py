"""CI gate: the bundled gold set through the real service, headline metrics above their floors.

The same gate from the command line (docs/evaluation.md):
``hoidap eval --gold eval/gold/plans.jsonl --fail-under hit@5=0.9 --fail-under mrr@10=0.8
--fail-under citation_recall=0.8 --fail-under refusal_accuracy=0.8``
"""

from __future__ import annotations

import pytest

from eval.cli import gate_failures
from eval.harness import ServiceSystem, evaluate
from hoidap.config import REPO_ROOT

PLANS = REPO_ROOT / "eval" / "gold" / "plans.jsonl"
GATE = [
    ("hit@5", 0.9),
    ("mrr@10", 0.8),
    ("citation_recall", 0.8),
    ("refusal_accuracy", 0.8),
]
MAX_SECONDS = 60  # the whole gold set, once the index is built

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not PLANS.exists(), reason="eval/gold/plans.jsonl chưa có"),
]


def test_gold_set_passes_the_gate_in_time(service):
    run = evaluate(PLANS, ServiceSystem(service), k=5)
    assert not gate_failures(run.summary["overall"], GATE), run.summary["overall"]
    assert run.config["seconds"] < MAX_SECONDS
