#!/usr/bin/env bash
# Builds the examples (tests skipped) and measures how many chunks the bundled ONNX model would cut
# (its 256-token input limit) with the old fixed default chunk size and with chunks sized for the
# embedder, on the Python documentation sources of Debian's python3-doc (installed when missing and
# running as root) or on a directory given as argument.
# Usage: scripts/eval-chunk-sizing.sh [directory] [glob (default **.txt)]
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

if [[ $# -eq 0 && ! -d /usr/share/doc/python3.11-doc/html/_sources && "$(id -u)" -eq 0 ]]; then
    apt-get update -qq >&2 && apt-get install -y -qq python3-doc >&2
fi

./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

exec "$JAVA_HOME/bin/java" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.eval.ChunkSizingReport "$@"
