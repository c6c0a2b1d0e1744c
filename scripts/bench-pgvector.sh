#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the pgvector benchmark. The same rows (10 chunks per
# document, 384-d vectors, ~500-character texts) are written three ways in each run: raw COPY BINARY
# into a bare table (id uuid PRIMARY KEY, embedding vector(384), text text, metadata jsonb), the
# denominator of every ratio; LangChain4j's PgVectorEmbeddingStore.addAll into its own table (its
# defaults, no index); our upsert. Then both libraries write every row again with new vectors, an
# HNSW index (m=16, ef_construction=64) is built on each side, our recall@10 is measured, and the
# p50/p99 latency of our vector, keyword and hybrid search and of LangChain4j's search is timed.
# Prints each run, then medians of the runs as markdown tables.
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local server that
# scripts/provision-postgres.sh sets up (provisioned here when running as root). Schema:
# PORTFOLIO_BENCH_SCHEMA, else portfolio_bench (dropped and recreated; a second run on the same
# schema stops at once).
# Usage: scripts/bench-pgvector.sh [runs (default 3)] [documents of 10 chunks (default 10000,
# at most 50000: the data is generated in memory, -Xmx4g)] [timed queries per kind of search
# (default 300; keyword and hybrid search take seconds each at 100,000 chunks)]
# Options as system properties in BENCH_JAVA_OPTS, e.g. BENCH_JAVA_OPTS="-Dbench.loadOnly=true"
# (the writes only: no HNSW builds, recall or search latency), -Dbench.writeConnections=1 (the
# store's upsertWriteConnections, default 2).
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
    dev.portfolio.examples.bench.PgVectorLoadBenchmark "${@:-3}"
