#!/usr/bin/env bash
# Re-embed memory (ReembedMemoryBenchmark): loads chunks without vectors (default 1,000,000) and
# re-embeds them all with a zero-cost 384-d embedder and the default options in a JVM limited to
# -Xmx256m, then reports the peak heap (sampled, and the heap pools' peaks). Takes a while and
# about 2 GB of disk at the default size: run it on request.
# Database: as scripts/bench-switch-e2e.sh.
# Usage: scripts/bench-reembed-memory.sh [chunks (default 1000000)]
# Options in BENCH_JAVA_OPTS: -Dbench.dimension (default 384).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench-java.sh
run_bench 256m ReembedMemoryBenchmark "$@"
