"""Evaluation: gold question sets, metrics, run reports, run comparison and baselines."""
