#!/usr/bin/env bash
# Builds the project (tests skipped) and runs the Spring Boot example on http://localhost:8080:
#   PORTFOLIO_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio" \
#     scripts/spring-boot-example.sh [--server.port=8081 ...]
#   curl localhost:8080/admin/portfolio/diagnostics
#   curl -X POST 'localhost:8080/admin/portfolio/retry-failed?collection=docs'
#   curl localhost:8080/actuator/metrics/portfolio.index.coverage
# PORTFOLIO_SCHEMA (default portfolio) and PORTFOLIO_EMBEDDER (default hashing) are optional; other
# settings go as Spring Boot arguments (--portfolio.embedder.dimension=384).
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

echo "spring-boot-example: building (a few minutes the first time: Spring Boot is downloaded)..." >&2
./mvnw -q -B -ntp -pl examples-spring-boot -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2

exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
    -cp "examples-spring-boot/target/classes:$(cat examples-spring-boot/target/classpath.txt)" \
    dev.portfolio.examples.springboot.PortfolioExampleApplication "$@"
