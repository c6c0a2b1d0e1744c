#!/usr/bin/env bash
# Builds the project (tests skipped) and runs the Spring-free host-app example: a nightly
# maintenance job (statistics, diagnostics, retry of failed documents, cleanup of soft-deleted
# documents and orphans) on a ScheduledExecutorService, logged through SLF4J.
#   PORTFOLIO_JDBC_URL=jdbc:postgresql://... scripts/nightly-maintenance.sh --once      # run now, exit
#   PORTFOLIO_JDBC_URL=jdbc:postgresql://... scripts/nightly-maintenance.sh --at 02:30  # daily; Ctrl-C stops
# PORTFOLIO_SCHEMA, PORTFOLIO_EMBEDDER (the collections' model's provider, default onnx),
# PORTFOLIO_EMBEDDER_OPTS (key=value,...) and PORTFOLIO_PURGE_AFTER_DAYS (default 7) are optional.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

echo "nightly-maintenance: building (about a minute the first time)..." >&2
./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.hostapp.NightlyMaintenanceApp "$@"
