"""CI gate: `hoidap eval` on the gold sets, thresholds just under the measured level.

Measured on 2026-11-30 (issue 9, stop 11), hybrid retriever, on a fresh index built by 89ea5fb:
- plans.jsonl (136 questions): hit@5 0.992, MRR@10 0.925, citation recall 0.996, key-fact
  recall 0.967, refusal accuracy 1.000, false refusals 0.000;
- users-dev.jsonl (826 questions written like real users, tuned on; 206 unanswerable):
  hit@5 0.953, MRR@10 0.850, citation recall 0.886, key-fact recall 0.875, refusal accuracy
  0.927, false refusals 0.015;
- users-test.jsonl (160 held-out questions, 40 unanswerable: two fresh sets of 80, each scored
  once after all tuning, by the same code): hit@5 0.958, MRR@10 0.901, citation recall 0.868,
  key-fact recall 0.847, refusal accuracy 0.950, false refusals 0.017 (every target of issue 9
  met, on each set of 80 too).
Held-out sets are scored once and then folded into users-dev; every set was written from the
documents by a session that never ran the system (docs/evaluation.md). A regression of a few
questions fails CI; plans.jsonl never gates below the level of the gate before issue 9. Run by
hand with the same command (docs/evaluation.md).
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
        "mrr@10": 0.83,
        "citation_recall": 0.87,
        "key_fact_recall_folded": 0.86,
        "refusal_accuracy": 0.91,
        "false_refusal_rate": 0.03,
    },
    "users-test.jsonl": {
        "hit@5": 0.94,
        "mrr@10": 0.88,
        "citation_recall": 0.85,
        "key_fact_recall_folded": 0.83,
        "refusal_accuracy": 0.92,
        "false_refusal_rate": 0.03,
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
