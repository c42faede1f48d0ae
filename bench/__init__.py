"""Benchmarks: the API measured over real HTTP against baselines in the same run."""
