#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the pgvector load benchmark: our upsert path against
# raw COPY BINARY into (a) a bare table and (b) a chunks-shaped table, the all-updates upsert, the
# HNSW build time and recall@10. Medians of the given number of runs (default 3).
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root).
# Usage: scripts/bench-pgvector.sh [runs (default 3)] [documents of 10 chunks (default 10000,
# at most 50000: the data is generated in memory, -Xmx4g)]
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

exec "$JAVA_HOME/bin/java" -Xmx4g -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.bench.PgVectorLoadBenchmark "${@:-3}"
