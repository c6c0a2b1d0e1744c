#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the job-queue worker benchmark: a re-embed job
# shared through PostgreSQL by 1, 2 and 3 worker JVMs, on an embedder whose cost is latency (each
# call sleeps, default 50 ms, then hashes). Prints chunks/s per worker count with the ratio against
# one JVM and against the ideal, as a markdown table. JVM start-up is outside the timing.
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root).
# Usage: scripts/bench-workers.sh [chunks (default 30000)] [latency ms (default 50)]
# Options as system properties in BENCH_JAVA_OPTS, e.g. BENCH_JAVA_OPTS="-Dbench.workers=1,2,4":
# bench.workers (default 1,2,3), bench.slots (units at once per JVM, default 1),
# bench.embedConcurrency (embedder calls in flight per unit, default 4), bench.batch (chunks per
# call, default 20), bench.unitSize (chunks per work unit, default 1000).
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
exec "$JAVA_HOME/bin/java" -Xmx1g "${java_opts[@]}" -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.bench.WorkerThroughputBenchmark "$@"
