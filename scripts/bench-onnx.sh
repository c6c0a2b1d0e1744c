#!/usr/bin/env bash
# Builds the examples (tests skipped) and runs the onnx embedder benchmark: sentences/s on 2,000
# sentences of ~30 words for the int8 and fp32 all-MiniLM-L6-v2 models, startup to first
# embedding and peak RSS, each configuration in its own JVM. No network needed once built.
# Extra arguments run one configuration as onnx options, e.g. scripts/bench-onnx.sh variant=fp32 threads=1
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

./mvnw -q -B -ntp -pl examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
    dev.portfolio.examples.bench.OnnxEmbedderBenchmark "$@"
