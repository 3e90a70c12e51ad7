"""CI gate: `hoidap eval` on the gold sets, thresholds just under the measured level.

Measured on 2026-11-30 (issue 9, stop 10), hybrid retriever, on a fresh index:
- plans.jsonl (136 questions): hit@5 0.992, MRR@10 0.925, citation recall 0.992, key-fact
  recall 0.967, refusal accuracy 1.000, false refusals 0.000;
- users-dev.jsonl (366 questions written like real users, tuned on): hit@5 0.956, MRR@10
  0.830, citation recall 0.872, key-fact recall 0.869, refusal accuracy 1.000, false refusals
  0.022;
- users-test.jsonl (60 held-out questions, scored once after all tuning): hit@5 0.904,
  MRR@10 0.815, citation recall 0.751, key-fact recall 0.763, refusal accuracy 1.000, false
  refusals 0.096 (issue 9 asks ≤ 0.05: not met).
Held-out sets are scored once and then folded into users-dev. users-dev holds the stop-8 and
stop-9 held-out sets, a second unseen dev set written this stop, and the first held-out set of
this stop (60 questions, scored once: hit@5 0.962, citation recall 0.832, key facts 0.833,
refusal accuracy 0.875, false refusals 0.077). Every set was written from the documents by a
session that never ran the system. A regression of a few questions fails CI; plans.jsonl
never gates below the level of the gate before issue 9. Run by hand with the same command
(docs/evaluation.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hoidap.config import REPO_ROOT

GOLD = REPO_ROOT / "eval" / "gold"
PLANS = GOLD / "plans.jsonl"
GATES = {
    "plans.jsonl": {
        "hit@5": 0.97,
        "mrr@10": 0.9,
        "citation_recall": 0.97,
        "key_fact_recall_folded": 0.95,
        "refusal_accuracy": 0.95,
        "false_refusal_rate": 0.02,
    },
    "users-dev.jsonl": {
        "hit@5": 0.94,
        "mrr@10": 0.81,
        "citation_recall": 0.85,
        "key_fact_recall_folded": 0.85,
        "refusal_accuracy": 0.95,
        "false_refusal_rate": 0.04,
    },
    "users-test.jsonl": {
        "hit@5": 0.88,
        "mrr@10": 0.79,
        "citation_recall": 0.73,
        "key_fact_recall_folded": 0.74,
        "refusal_accuracy": 0.85,
        "false_refusal_rate": 0.12,
    },
}
MAX_SECONDS = 60  # a whole gold set, once the index is built

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("gold", sorted(GATES))
def test_gold_set_passes_the_gate_in_time(
    gold: str, service, corpus_settings, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    command = [sys.executable, "-m", "cli", "eval", "--gold", str(GOLD / gold), "--out", str(out)]
    for metric, value in GATES[gold].items():
        command += ["--fail-under", f"{metric}={value}"]
    env = {**os.environ, "HOIDAP_INDEX_DIR": str(corpus_settings.index_dir)}
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stdout + result.stderr
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["config"]["seconds"] < MAX_SECONDS


def test_gate_fails_when_a_threshold_is_missed(service, corpus_settings, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "cli",
        "eval",
        "--gold",
        str(PLANS),
        "--out",
        str(tmp_path / "run"),
        "--fail-under",
        "false_refusal_rate=0.0",
        "--fail-under",
        "hit@1=1.0",
    ]
    env = {**os.environ, "HOIDAP_INDEX_DIR": str(corpus_settings.index_dir)}
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 1
    assert "hit@1" in result.stdout + result.stderr
