#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (javac included), or fails with a message.
# Looks at $JAVA_HOME, the java on PATH, then the usual install folders.
# Usage: export JAVA_HOME="$(scripts/java-home.sh)"
set -euo pipefail

readonly MIN_VERSION=21

feature_version() { # $1: a JDK home; prints its feature version (17, 21, 25...) or nothing
    local release="$1/release" v
    [[ -x "$1/bin/javac" && -x "$1/bin/java" ]] || return 0
    if [[ -f "$release" ]]; then
        v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    else
        v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
            sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    fi
    printf '%s' "$v"
}

candidates() {
    [[ -n "${JAVA_HOME:-}" ]] && printf '%s\n' "$JAVA_HOME"
    if command -v javac >/dev/null 2>&1; then
        dirname "$(dirname "$(readlink -f "$(command -v javac)")")"
    fi
    # Newest first among installed JDKs.
    ls -d /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* 2>/dev/null |
        sort -rV || true
}

while IFS= read -r home; do
    [[ -d "$home" ]] || continue
    v=$(feature_version "$home")
    if [[ -n "$v" && "$v" -ge $MIN_VERSION ]]; then
        printf '%s\n' "$home"
        exit 0
    fi
done < <(candidates)

echo "java-home: no JDK >= $MIN_VERSION found (looked at \$JAVA_HOME, javac on PATH, /usr/lib/jvm)." >&2
echo "java-home: install a JDK 21 or newer (for example Temurin from Adoptium, or your distribution's openjdk-21/25 package where it has one), or set JAVA_HOME, then retry." >&2
exit 1
