#!/usr/bin/env bash
# Builds the project (tests skipped) and runs the quickstart: an in-memory store and a local
# embedder, no database and no network needed. Extra arguments go to the program, e.g.
#   scripts/quickstart.sh "how do vaccines work"
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

echo "quickstart: building (about a minute the first time)..." >&2
./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.Quickstart "$@"
