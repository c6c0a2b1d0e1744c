#!/usr/bin/env bash
# Model switch end to end (SwitchEndToEndBenchmark): 100,000 chunks of 384-d switched to another
# 384-d model with Maintenance.switchModel (re-embed into a building set, HNSW build, activation,
# drop of the old set) and a zero-cost embedder, against a naive in-place UPDATE of the live
# HNSW-indexed column of a version-1-shaped table, in the same run. Medians of the runs.
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root).
# Usage: scripts/bench-switch-e2e.sh [runs (default 3)] [documents of 10 chunks (default 10000)]
# Options in BENCH_JAVA_OPTS: -Dbench.batch (default 1000), -Dbench.concurrency (default 4),
# -Dbench.v1Rows (rows of the naive update, default all; fewer are scaled up).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-java.sh
run_bench 4g SwitchEndToEndBenchmark "$@"
