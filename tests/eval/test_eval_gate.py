"""CI gate: `hoidap eval` on the gold sets, thresholds just under the measured level.

Measured on 2026-11-30 (issue 9, stop 10), hybrid retriever, on a fresh index:
- plans.jsonl (136 questions): hit@5 0.992, MRR@10 0.925, citation recall 0.992, key-fact
  recall 0.967, refusal accuracy 1.000, false refusals 0.000;
- users-dev.jsonl (426 questions written like real users, tuned on): hit@5 0.946, MRR@10
  0.825, citation recall 0.878, key-fact recall 0.877, refusal accuracy 1.000, false refusals
  0.016;
- users-test.jsonl (60 held-out questions, scored once after all tuning): hit@5 0.923,
  MRR@10 0.851, citation recall 0.797, key-fact recall 0.780, refusal accuracy 0.750 (issue 9
  asks ≥ 0.95: not met), false refusals 0.038.
Held-out sets are scored once and then folded into users-dev. Three fresh sets were scored this
stop, each once, with fixes in between (docs/evaluation.md has all three); every set was
written from the documents by a session that never ran the system. A regression of a few
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
        "hit@5": 0.93,
        "mrr@10": 0.8,
        "citation_recall": 0.86,
        "key_fact_recall_folded": 0.86,
        "refusal_accuracy": 0.95,
        "false_refusal_rate": 0.03,
    },
    "users-test.jsonl": {
        "hit@5": 0.9,
        "mrr@10": 0.83,
        "citation_recall": 0.77,
        "key_fact_recall_folded": 0.76,
        "refusal_accuracy": 0.7,
        "false_refusal_rate": 0.06,
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
