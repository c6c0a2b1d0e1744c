#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the search latency benchmark: a collection of
# real text (the Linux man pages of Debian's manpages and manpages-dev packages, repeated with a
# random tenth of the words left out in each copy) of 100,000 chunks with 384-d vectors, loaded by
# upsert, HNSW built afterwards, no manual ANALYZE; checks that vector search uses the HNSW index
# and keyword search the GIN index; then times the 139 evaluation questions (top 10) for PostgreSQL's
# plain websearch_to_tsquery + ts_rank_cd over the same rows and GIN index, and for keyword, vector,
# hybrid and document-level search, and prints p50/p99 as a markdown table.
# Usage: scripts/bench-search.sh [chunks (default 100000)] [rounds (default 3)]
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local test database.
# Schema: PORTFOLIO_BENCH_SCHEMA, else portfolio_search_bench (dropped and recreated).
# -Dbench.keep=true in JAVA_OPTS keeps the schema afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" -Xmx3g ${JAVA_OPTS:-} -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.eval.SearchBenchmark "$@"
