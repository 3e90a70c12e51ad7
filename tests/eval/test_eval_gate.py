"""CI gate: `hoidap eval` on the gold sets, thresholds just under the measured level.

Measured on 2026-11-29 (issue 9), hybrid retriever:
- plans.jsonl (136 questions): hit@5 0.992, MRR@10 0.924, citation recall 0.951, key-fact
  recall 0.918, refusal accuracy 1.000, false refusals 0.041;
- users-dev.jsonl (129 questions written like real users): hit@5 0.964, MRR@10 0.872,
  citation recall 0.903, key-fact recall 0.913, refusal accuracy 0.944, false refusals 0.018
  (after the refusal work of stop 9; 0.877 / 0.894 / 0.913 / 0.889 / 0.036 before).
users-dev.jsonl now holds the 50 questions of the former users-test.jsonl: that set was scored
once at stop 8 (hit@5 1.000, citation recall 0.829, key facts 0.862, refusal accuracy 1.000,
false refusals 0.070), so it was no longer held out and was folded into dev. A fresh held-out
set is gated by the integrator. A regression of a few questions fails CI; plans.jsonl never
gates below the level of the gate before issue 9.
Run by hand with the same command (docs/evaluation.md).
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
        "citation_recall": 0.93,
        "key_fact_recall_folded": 0.89,
        "refusal_accuracy": 0.92,
        "false_refusal_rate": 0.06,
    },
    "users-dev.jsonl": {
        "hit@5": 0.94,
        "mrr@10": 0.85,
        "citation_recall": 0.88,
        "key_fact_recall_folded": 0.89,
        "refusal_accuracy": 0.9,
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
