#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the keyword search evaluation on the Linux man pages
# of Debian's manpages and manpages-dev packages (see examples/src/main/resources/eval/manpages/).
# Usage: scripts/eval-keyword.sh [quality (default) | latency [chunks (100000)] [rounds (3)]]
# Database: PORTFOLIO_BENCH_JDBC_URL, else PORTFOLIO_TEST_JDBC_URL, else the local test database.
# -Deval.misses=true in JAVA_OPTS prints every question not answered first.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" -Xmx3g ${JAVA_OPTS:-} -Dorg.jooq.no-logo=true -Dorg.jooq.no-tips=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.eval.KeywordSearchEvaluation "$@"
