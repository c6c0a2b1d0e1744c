#!/usr/bin/env bash
# Runs the README's commands that are marked to run, against a scratch schema, and fails on the
# first one that does not work as written.
#
#   PORTFOLIO_TEST_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/portfolio_test?user=portfolio&password=portfolio" \
#     scripts/check-readme.sh [README.md]
#
# A block is checked when the line before its opening fence is exactly <!-- check-readme -->:
#   - a ```bash block runs as one bash script (set -euo pipefail), line by line;
#   - a plain ``` block is a terminal transcript: each line starting with "$ " is run, the lines
#     after it are its expected output (not compared: they hold timings and ids). A command whose
#     output shows the usage hint ("Try 'portfolio ... --help'") must exit with 2, every other
#     command with 0.
# Blocks that need a remote API key, run the whole test suite or a benchmark are left unmarked.
#
# Transcripts run in one scratch directory (files a command writes stay there for the next), bash
# blocks in the repository (they name scripts/...); both
# with `portfolio` on the PATH (bin/portfolio), PORTFOLIO_JDBC_URL set to the test database and
# PORTFOLIO_SCHEMA to a new scratch schema, dropped at the end. Quickstart programs get
# PORTFOLIO_JAVA_OPTS=-Dportfolio.embedder=hashing unless it is set, so that they take seconds.
# It builds first, unless CHECK_README_BUILT=1 says the modules are built (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
readme="${1:-README.md}"

url="${PORTFOLIO_TEST_JDBC_URL:-${PORTFOLIO_JDBC_URL:-}}"
if [[ -z "$url" ]]; then
  echo "check-readme: set PORTFOLIO_TEST_JDBC_URL to a PostgreSQL database with pgvector" >&2
  exit 2
fi

JAVA_HOME="$(scripts/java-home.sh)"
export JAVA_HOME

schema="readme_check_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
work="$(mktemp -d "${TMPDIR:-/tmp}/portfolio-readme.XXXXXX")"
mkdir -p "$work/bin"
ln -s "$root/bin/portfolio" "$work/bin/portfolio"

# psql connection from the JDBC URL (jdbc:postgresql://host:port/db?user=u&password=p).
psql_drop() {
  local rest="${url#jdbc:postgresql://}" hostport db query user="" password=""
  hostport="${rest%%/*}"
  db="${rest#*/}"; db="${db%%\?*}"
  query=""; [[ "$rest" == *\?* ]] && query="${rest#*\?}"
  local kv
  for kv in ${query//&/ }; do
    case "$kv" in
      user=*) user="${kv#user=}" ;;
      password=*) password="${kv#password=}" ;;
    esac
  done
  PGPASSWORD="$password" psql -q -h "${hostport%%:*}" -p "${hostport##*:}" -U "${user:-$USER}" -d "$db" \
    -c "DROP SCHEMA IF EXISTS \"$schema\" CASCADE" >/dev/null 2>&1 || \
    echo "check-readme: could not drop schema $schema; drop it by hand" >&2
}
cleanup() {
  if command -v psql >/dev/null; then psql_drop; else echo "check-readme: no psql; drop schema $schema by hand" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT

start=$(date +%s)
if [[ "${CHECK_README_BUILT:-}" != "1" ]]; then
  echo "check-readme: building (tests skipped)..." >&2
  ./mvnw -q -B -ntp -pl portfolio-maintenance,examples -am package -DskipTests -Dspotless.check.skip -Dspotbugs.skip >&2
fi

export PATH="$work/bin:$PATH"
export PORTFOLIO_JDBC_URL="$url" PORTFOLIO_SCHEMA="$schema"
export PORTFOLIO_JAVA_OPTS="${PORTFOLIO_JAVA_OPTS:--Dportfolio.embedder=hashing}"
export PORTFOLIO_CHECKOUT="$root"

blocks=0
commands=0

# run_command LINE_NO EXPECTED_EXIT COMMAND
run_command() {
  local line="$1" expected="$2" command="$3" rc=0
  commands=$((commands + 1))
  echo "check-readme: $readme:$line: \$ $command" >&2
  (cd "$work" && bash -o pipefail -c "$command") >"$work/out" 2>&1 || rc=$?
  if [[ "$rc" != "$expected" ]]; then
    cat "$work/out" >&2
    echo "check-readme: FAILED at $readme:$line: exit code $rc, expected $expected: $command" >&2
    exit 1
  fi
}

# run_script LINE_NO FILE
run_script() {
  local line="$1" file="$2" rc=0
  commands=$((commands + $(grep -cv '^\s*\(#.*\)\?$' "$file" || true)))
  echo "check-readme: $readme:$line: bash block" >&2
  sed 's/^/  | /' "$file" >&2
  (cd "$root" && bash -euo pipefail "$file") >"$work/out" 2>&1 || rc=$?
  if [[ "$rc" != 0 ]]; then
    cat "$work/out" >&2
    echo "check-readme: FAILED in the block at $readme:$line (exit code $rc)" >&2
    exit 1
  fi
}

# Flushes the pending transcript command: expects 2 when its output shows the usage hint.
pending=""
pending_line=0
pending_usage=0
flush() {
  if [[ -n "$pending" ]]; then
    run_command "$pending_line" "$([[ $pending_usage == 1 ]] && echo 2 || echo 0)" "$pending"
  fi
  pending=""
  pending_usage=0
}

n=0
marked=0
in_block=""
block_start=0
script="$work/block.sh"
while IFS= read -r text || [[ -n "$text" ]]; do
  n=$((n + 1))
  if [[ -z "$in_block" ]]; then
    if [[ "$text" == "<!-- check-readme -->" ]]; then
      marked=1
    elif [[ $marked == 1 && "$text" =~ ^\`\`\`(bash|sh)?$ ]]; then
      in_block="${BASH_REMATCH[1]:-transcript}"
      block_start=$n
      blocks=$((blocks + 1))
      : >"$script"
      marked=0
    elif [[ $marked == 1 && -n "$text" ]]; then
      echo "check-readme: $readme:$n: <!-- check-readme --> must be followed by a fence" >&2
      exit 1
    fi
    continue
  fi
  if [[ "$text" == '```' ]]; then
    if [[ "$in_block" == transcript ]]; then
      flush
    else
      run_script "$block_start" "$script"
    fi
    in_block=""
    continue
  fi
  if [[ "$in_block" == transcript ]]; then
    if [[ "$text" == '$ '* ]]; then
      flush
      pending="${text#\$ }"
      pending_line=$n
    elif [[ "$text" == *"Try 'portfolio"*"--help'"* ]]; then
      pending_usage=1
    fi
  else
    printf '%s\n' "$text" >>"$script"
  fi
done <"$readme"

echo "check-readme: $blocks blocks, $commands commands ran as written in $(( $(date +%s) - start )) s" >&2
