#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the model switch benchmark: a collection of 384-d
# vectors switches to a 256-d model (building set filled with writeVectors, activateSet building the
# set's HNSW index, rollback, activate again, dropSet) while a thread searches it, then back to a
# 384-d model for the bloat check. Compared in the same run with a bare COPY BINARY of the same
# vectors and with version 1's in-place UPDATE of the second vector slot next to a live HNSW
# index. Medians of the given number of runs (default 3).
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root). Schema:
# PORTFOLIO_BENCH_SCHEMA, else portfolio_switch_bench (dropped and recreated).
# Usage: scripts/bench-switch.sh [runs (default 3)] [documents of 10 chunks (default 10000)]
# Options as system properties in BENCH_JAVA_OPTS, e.g. BENCH_JAVA_OPTS="-Dbench.batch=5000":
# bench.batch (page and writeVectors size, default 1000), bench.searchRate (searches per second,
# default 50, 0 = back to back), bench.v1Rows (rows of the v1 update, default 20000).
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

if [[ -z "${PORTFOLIO_BENCH_JDBC_URL:-}${PORTFOLIO_TEST_JDBC_URL:-}" && "$(id -u)" -eq 0 ]]; then
    # Through a file, not a pipe: a server the script starts must not keep our reader waiting.
    out_file="$(mktemp)"
    scripts/provision-postgres.sh >"$out_file"
    PORTFOLIO_BENCH_JDBC_URL="$(tail -n 1 "$out_file")"
    rm -f "$out_file"
    export PORTFOLIO_BENCH_JDBC_URL
fi

./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

read -r -a java_opts <<<"${BENCH_JAVA_OPTS:-}"
exec "$JAVA_HOME/bin/java" -Xmx4g "${java_opts[@]}" -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.bench.ModelSwitchBenchmark "$@"
