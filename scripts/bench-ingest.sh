#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the ingest benchmark: Maintenance.ingest of 20,000
# documents of ~2,000 characters (hashing embedder, 384-d) into PostgreSQL, then the same unchanged
# input again (bar: >= 50x faster, zero embedder calls), then the input with 1% of the documents
# edited (only the changed chunks are embedded; the count is printed). Ratios within one run.
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root).
# Usage: scripts/bench-ingest.sh [documents (default 20000)] [batch size (default 500)]
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
    dev.portfolio.examples.bench.IngestBenchmark "$@"
