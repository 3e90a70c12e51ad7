"""CI gate: `hoidap eval` on the gold sets, thresholds just under the measured level.

Measured on 2026-11-30 (issue 9, stop 9), hybrid retriever:
- plans.jsonl (136 questions): hit@5 0.992, MRR@10 0.925, citation recall 0.984, key-fact
  recall 0.951, refusal accuracy 1.000, false refusals 0.008;
- users-dev.jsonl (191 questions written like real users): hit@5 0.927, MRR@10 0.831,
  citation recall 0.812, key-fact recall 0.822, refusal accuracy 0.885, false refusals 0.067;
- users-test.jsonl (55 held-out questions, scored once on 2026-11-30 after all tuning): hit@5
  0.979, MRR@10 0.698, citation recall 0.649, key-fact recall 0.649, refusal accuracy 0.750,
  false refusals 0.191 (issue 9 asks ≤ 0.05: not met).
Held-out sets are scored once and then folded into users-dev: the stop-8 set (50 questions,
false refusals 0.070) at the start of stop 9, and the first stop-9 set (62 questions, scored
once: hit@5 0.852, citation recall 0.540, key facts 0.559, refusal accuracy 0.625, false
refusals 0.315) before the amount rule and the lower coverage bar were tuned. The current
users-test.jsonl was written from the documents by a session that never ran the system.
A regression of a few questions fails CI; plans.jsonl never gates below the level of the gate
before issue 9. Run by hand with the same command (docs/evaluation.md).
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
        "citation_recall": 0.96,
        "key_fact_recall_folded": 0.93,
        "refusal_accuracy": 0.95,
        "false_refusal_rate": 0.03,
    },
    "users-dev.jsonl": {
        "hit@5": 0.9,
        "mrr@10": 0.8,
        "citation_recall": 0.79,
        "key_fact_recall_folded": 0.8,
        "refusal_accuracy": 0.85,
        "false_refusal_rate": 0.09,
    },
    "users-test.jsonl": {
        "hit@5": 0.95,
        "mrr@10": 0.67,
        "citation_recall": 0.62,
        "key_fact_recall_folded": 0.62,
        "refusal_accuracy": 0.7,
        "false_refusal_rate": 0.22,
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
