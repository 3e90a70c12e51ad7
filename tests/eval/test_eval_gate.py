"""CI gate: `hoidap eval` on the bundled gold set, thresholds just under the measured level.

Measured on 2026-11-25 (136 questions): hit@5 0.984, MRR@10 0.908, citation recall 0.918,
key-fact recall 0.885, refusal accuracy 1.000, false refusals 0.049. A regression of a few
questions fails CI. Run by hand with the same command (docs/evaluation.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hoidap.config import REPO_ROOT

PLANS = REPO_ROOT / "eval" / "gold" / "plans.jsonl"
GATE = {
    "hit@5": 0.95,
    "mrr@10": 0.86,
    "citation_recall": 0.88,
    "key_fact_recall_folded": 0.85,
    "refusal_accuracy": 0.9,
    "false_refusal_rate": 0.07,
}
MAX_SECONDS = 60  # the whole gold set, once the index is built

pytestmark = pytest.mark.e2e


def test_gold_set_passes_the_gate_in_time(service, corpus_settings, tmp_path: Path) -> None:
    out = tmp_path / "run"
    command = [sys.executable, "-m", "cli", "eval", "--gold", str(PLANS), "--out", str(out)]
    for metric, value in GATE.items():
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
