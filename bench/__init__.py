"""Benchmarks: `python -m bench` prints figures; docs/performance.md keeps the latest."""
