#!/usr/bin/env bash
# Re-embed against a latency-bound embedder (ReembedLatencyBenchmark): 50 ms per call of up to 64
# texts, concurrency 8, so the embedder's ceiling is 8 x 64 / 0.05 s = 10,240 chunks/s; prints the
# pipeline's throughput as a ratio of that ceiling (bar: >= 0.8x). Medians of the runs.
# Database: as scripts/bench-switch-e2e.sh.
# Usage: scripts/bench-reembed-latency.sh [runs (default 3)] [chunks (default 64000)]
# Options in BENCH_JAVA_OPTS: -Dbench.latencyMs, -Dbench.batch, -Dbench.concurrency,
# -Dbench.dimension (default 384).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-java.sh
run_bench 1g ReembedLatencyBenchmark "$@"
