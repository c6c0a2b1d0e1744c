#!/usr/bin/env bash
# Builds the project (tests skipped) and runs the quickstart on PostgreSQL + pgvector: installs the
# schema, ingests the sample corpus, searches, switches models, and backs the collection up.
#   PORTFOLIO_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio" \
#     scripts/quickstart-pg.sh ["query" ...]
# PORTFOLIO_SCHEMA (default portfolio_quickstart) and PORTFOLIO_BACKUP_DIR (default: a temporary
# directory) are optional; -Dportfolio.embedder=hashing in PORTFOLIO_JAVA_OPTS picks the fast
# lexical embedder instead of the local ONNX models.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${PORTFOLIO_JDBC_URL:-}" ]]; then
  echo "quickstart-pg: set PORTFOLIO_JDBC_URL to a PostgreSQL database with the vector extension," >&2
  echo "  e.g. jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio" >&2
  echo "  (scripts/provision-postgres.sh sets one up and prints it)" >&2
  exit 2
fi

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

echo "quickstart-pg: building (about a minute the first time)..." >&2
./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

# shellcheck disable=SC2086 # PORTFOLIO_JAVA_OPTS holds several options
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${PORTFOLIO_JAVA_OPTS:-} \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.QuickstartPg "$@"
