#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the backup benchmark: Maintenance.backup and restore
# of a collection (10 chunks per document, 384-d vectors, ~500-character texts) against raw COPY of
# the same rows out to a file and into a bare table, measured in the same run; medians of the runs.
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root). Schema:
# portfolio_bench_backup (dropped and recreated).
# Usage: scripts/bench-backup.sh [runs (default 3)] [documents of 10 chunks (default 10000)]
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
    dev.portfolio.examples.bench.BackupBenchmark "$@"
