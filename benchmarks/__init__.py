"""vcflows benchmarks: demo data at scale, timed steps, a pandas baseline (python -m benchmarks)."""
