# Sourced by the re-embed benchmark scripts: finds a JDK >= 21, provisions the local PostgreSQL
# when no JDBC URL is given (as root), builds the examples (tests skipped) and defines
# run_bench HEAP CLASS ARGS... which runs a benchmark class of dev.portfolio.examples.bench.
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

run_bench() {
    local heap="$1" class="$2"
    shift 2
    local java_opts=()
    read -r -a java_opts <<<"${BENCH_JAVA_OPTS:-}"
    exec "$JAVA_HOME/bin/java" "-Xmx$heap" "${java_opts[@]}" -Dorg.jooq.no-logo=true \
        -Dorg.jooq.no-tips=true \
        -Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error \
        -cp "examples/target/classes:$(cat examples/target/classpath.txt)" \
        "dev.portfolio.examples.bench.$class" "$@"
}
