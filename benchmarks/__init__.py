"""Benchmarks of both taps against the sandbox: `make bench` (python -m benchmarks)."""
