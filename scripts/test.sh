#!/usr/bin/env bash
# Runs every test: unit tests (Surefire), then integration tests (Failsafe) against
# PostgreSQL + pgvector, then the format check and static analysis, then (whole suite only) the
# README's marked commands as written (scripts/check-readme.sh).
#
# Database, in this order:
#   1. PORTFOLIO_TEST_JDBC_URL when set;
#   2. else a local server provisioned by scripts/provision-postgres.sh (needs root or sudo);
#   3. else Testcontainers (pgvector/pgvector image) when a Docker engine answers.
# With CI=true a missing database fails the run: integration tests are never skipped there.
#
# Extra arguments go to Maven, e.g. scripts/test.sh -pl portfolio-core -Dtest=ChunkerTest
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME
echo "test: using JDK at $JAVA_HOME"

maven_args=()
if [[ -z "${PORTFOLIO_TEST_JDBC_URL:-}" ]]; then
    provision=()
    if [[ "$(id -u)" -eq 0 ]]; then
        provision=(scripts/provision-postgres.sh)
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        provision=(sudo scripts/provision-postgres.sh)
    fi
    # Through a file, not a pipe: a server the script starts must not keep our reader waiting.
    out_file="$(mktemp)"
    trap 'rm -f "$out_file"' EXIT
    url=""
    if [[ ${#provision[@]} -gt 0 ]] && "${provision[@]}" >"$out_file"; then
        url="$(tail -n 1 "$out_file")"
    fi
    if [[ "$url" == jdbc:* ]]; then
        export PORTFOLIO_TEST_JDBC_URL="$url"
        echo "test: integration tests use the local server ($url)"
    elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        echo "test: no PORTFOLIO_TEST_JDBC_URL and no local server; Testcontainers will start pgvector/pgvector"
    elif [[ "${CI:-}" == "true" ]]; then
        echo "test: ERROR: no database for the integration tests (CI=true)." >&2
        if [[ ${#provision[@]} -gt 0 ]]; then
            echo "test: scripts/provision-postgres.sh failed; see its messages above." >&2
        else
            echo "test: set PORTFOLIO_TEST_JDBC_URL, run as root so scripts/provision-postgres.sh can install one, or provide a Docker engine." >&2
        fi
        exit 1
    else
        echo "test: WARNING: no database available; integration tests are SKIPPED." >&2
        echo "test: set PORTFOLIO_TEST_JDBC_URL or run as root to provision PostgreSQL + pgvector." >&2
        maven_args+=(-DskipITs)
    fi
fi

./mvnw -B -ntp ${maven_args[@]+"${maven_args[@]}"} install "$@"

# Then the README's own commands, run as written (scripts/check-readme.sh): only for the whole
# suite (no extra Maven arguments) with a database at hand.
if [[ $# -eq 0 && -n "${PORTFOLIO_TEST_JDBC_URL:-}" ]]; then
    CHECK_README_BUILT=1 scripts/check-readme.sh
fi
