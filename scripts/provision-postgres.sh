#!/usr/bin/env bash
# Provision a local PostgreSQL server with the pgvector extension for the
# project's integration tests (Debian/Ubuntu, run as root).
#
#   1. PostgreSQL from Debian packages, a cluster running (started if down).
#   2. pgvector available to that server: an existing install, else the
#      binary package postgresql-<ver>-pgvector, else built from Debian's
#      trixie source package (fetched with a private apt sources list; the
#      machine's own apt configuration is not modified).
#   3. Role portfolio/portfolio (LOGIN CREATEDB CREATEROLE: the least-privilege
#      tests create a runtime role), database portfolio_test owned by it,
#      CREATE EXTENSION vector in it, password login over 127.0.0.1.
#   4. The last line on stdout is the JDBC URL; everything else goes to stderr.
#
# Idempotent: a second run only checks (no apt-get update, no build).
set -euo pipefail
set -o errtrace

readonly ROLE=portfolio
readonly ROLE_PASSWORD=portfolio
readonly DB=portfolio_test
readonly SOURCE_SUITE=trixie
readonly SOURCE_PACKAGE=pgvector

# All normal output goes to stderr; fd 3 is the real stdout, used once for
# the JDBC URL at the very end.
exec 3>&1 1>&2

STEP="start-up"
TMP_DIR=""
APT_UPDATED=0

log() { printf 'provision: %s\n' "$*" >&2; }

die() {
    log "ERROR in step '${STEP}': $*"
    exit 1
}

on_err() {
    local rc=$1 cmd=$2
    # Only the main shell reports; subshells just propagate their status.
    if [[ "${BASHPID}" == "$$" ]]; then
        log "ERROR in step '${STEP}': command failed (exit ${rc}): ${cmd}"
    fi
    exit "${rc}"
}
trap 'on_err $? "$BASH_COMMAND"' ERR

cleanup() {
    if [[ -n "${TMP_DIR}" && -d "${TMP_DIR}" ]]; then
        rm -rf -- "${TMP_DIR}"
    fi
}
trap cleanup EXIT

tmp_dir() {
    if [[ -z "${TMP_DIR}" ]]; then
        TMP_DIR=$(mktemp -d /tmp/provision-postgres.XXXXXX)
        # apt's download sandbox user (_apt) must be able to traverse it.
        chmod 755 "${TMP_DIR}"
    fi
}

# ---------------------------------------------------------------- apt helpers
apt_quiet() {
    # 3>&-: a server that a package starts must not inherit our stdout (see the cluster start).
    DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@" 3>&- </dev/null
}

apt_update_once() {
    if [[ "${APT_UPDATED}" == 0 ]]; then
        log "apt-get update"
        apt_quiet update >/dev/null || die "apt-get update failed"
        APT_UPDATED=1
    fi
}

apt_install() {
    apt_update_once
    log "apt-get install $*"
    tmp_dir
    if ! apt_quiet install "$@" >"${TMP_DIR}/apt-install.log" 2>&1; then
        tail -n 30 "${TMP_DIR}/apt-install.log" >&2
        die "apt-get install $* failed"
    fi
}

apt_has_candidate() {
    local cand
    cand=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')
    [[ -n "${cand}" && "${cand}" != "(none)" ]]
}

# ----------------------------------------------------------- postgres helpers
PG_VER=""
PG_CLUSTER=""
PG_PORT=""
PSQL=psql

# psql as the postgres OS user over the local socket (peer/trust: always works).
psql_su() {
    local db=$1
    shift
    (cd / && runuser -u postgres -- "${PSQL}" -X -q -A -t -v ON_ERROR_STOP=1 \
        -p "${PG_PORT}" -d "${db}" "$@")
}

# psql as the test role over TCP with its password (never prompts).
psql_tcp() {
    PGPASSWORD="${ROLE_PASSWORD}" PGCONNECT_TIMEOUT=5 "${PSQL}" -X -q -A -t -w \
        -v ON_ERROR_STOP=1 \
        "host=127.0.0.1 port=${PG_PORT} dbname=${DB} user=${ROLE}" "$@"
}

# Pick the cluster: the one on port 5432, else the first one named main,
# else the first one. Sets PG_VER PG_CLUSTER PG_PORT; returns 1 if none.
select_cluster() {
    local line
    line=$(pg_lsclusters -h 2>/dev/null | awk '
        $3 == 5432 && !p { p = $0 }
        $2 == "main" && !m { m = $0 }
        !f { f = $0 }
        END { print (p != "" ? p : (m != "" ? m : f)) }')
    [[ -n "${line}" ]] || return 1
    read -r PG_VER PG_CLUSTER PG_PORT _ <<<"${line}"
}

cluster_status() {
    pg_lsclusters -h "${PG_VER}" "${PG_CLUSTER}" | awk '{print $4}'
}

# ============================================================================
[[ "$(id -u)" == 0 ]] || die "must run as root (needs apt-get and the postgres OS user)"

# ------------------------------------------------- step 1: PostgreSQL server
STEP="postgresql server"
if ! command -v pg_lsclusters >/dev/null 2>&1 || ! select_cluster; then
    if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        apt_install postgresql
    fi
    if ! select_cluster; then
        ver=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' \
            | awk -F/ '{print $4}' | sort -n | tail -n 1)
        [[ -n "${ver}" ]] || die "no PostgreSQL server binaries found after installing postgresql"
        log "creating cluster ${ver}/main"
        pg_createcluster "${ver}" main >/dev/null || die "pg_createcluster ${ver} main failed"
    fi
    select_cluster || die "no PostgreSQL cluster found (pg_lsclusters is empty)"
fi
log "using cluster ${PG_VER}/${PG_CLUSTER} on port ${PG_PORT}"

if [[ -x "/usr/lib/postgresql/${PG_VER}/bin/psql" ]]; then
    PSQL="/usr/lib/postgresql/${PG_VER}/bin/psql"
fi

status=$(cluster_status)
if [[ "${status}" != online* ]]; then
    log "cluster ${PG_VER}/${PG_CLUSTER} is ${status}: starting it"
    # The server outlives this script: it must not inherit fd 3 (our stdout), or a caller
    # reading the URL through a pipe would wait for EOF forever.
    pg_ctlcluster --skip-systemctl-redirect "${PG_VER}" "${PG_CLUSTER}" start 3>&- </dev/null \
        || die "pg_ctlcluster ${PG_VER} ${PG_CLUSTER} start failed (see /var/log/postgresql/)"
fi
for _ in $(seq 1 60); do
    pg_isready -q -p "${PG_PORT}" && break
    sleep 0.5
done
pg_isready -q -p "${PG_PORT}" || die "server ${PG_VER}/${PG_CLUSTER} does not accept connections on port ${PG_PORT}"
psql_su postgres -c 'SELECT 1' >/dev/null \
    || die "cannot connect as the postgres OS user over the local socket"
log "server version: $(psql_su postgres -c 'SHOW server_version')"

# -------------------------------------------------------- step 2: pgvector
vector_available() {
    [[ "$(psql_su postgres -c "SELECT 1 FROM pg_available_extensions WHERE name='vector'")" == 1 ]]
}

# The Debian archive mirror this machine already uses, and the keyring its
# sources entry names (Signed-By), read from apt's own view of its sources so
# both one-line and deb822 formats work. Sets MIRROR and KEYRING (KEYRING may
# be empty: apt's default trusted keys).
MIRROR=""
KEYRING=""
debian_mirror() {
    local codename entry uri file line keyring=""
    # shellcheck disable=SC1091
    codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
    [[ -n "${codename}" ]] || die "cannot read VERSION_CODENAME from /etc/os-release"
    entry=$(apt-get indextargets 2>/dev/null | awk -v c="${codename}" '
        BEGIN { RS = ""; FS = "\n" }
        {
            uri = ""; src = ""; deb = 0; match_c = 0
            for (i = 1; i <= NF; i++) {
                if ($i == "Target-Of: deb" || $i == "Target-Of: deb-src") deb = 1
                if ($i == "Codename: " c || $i == "Release: " c) match_c = 1
                if ($i ~ /^Repo-URI: /) uri = substr($i, 11)
                if ($i ~ /^Sourcesentry: /) src = substr($i, 15)
            }
            if (deb && match_c && uri != "") { print uri, src; exit }
        }')
    [[ -n "${entry}" ]] || die "cannot find the Debian '${codename}' mirror in the apt sources"
    read -r uri file <<<"${entry}"
    line=${file##*:}
    file=${file%:*}
    if [[ -r "${file}" && "${line}" =~ ^[0-9]+$ ]]; then
        if [[ "${file}" == *.sources ]]; then
            keyring=$(awk -v n="${line}" '
                /^[[:space:]]*$/ { if (NR > n) exit; sb = ""; next }
                tolower($1) == "signed-by:" { sb = $2 }
                END { print sb }' "${file}")
        else
            keyring=$(sed -n "${line}p" "${file}" | grep -o 'signed-by=[^] ]*' | head -n 1 | cut -d= -f2 || true)
        fi
    fi
    if [[ -z "${keyring}" || ! -f "${keyring}" ]]; then
        keyring=""
        if [[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
            keyring=/usr/share/keyrings/debian-archive-keyring.gpg
        fi
    fi
    MIRROR=${uri%/}
    KEYRING=${keyring}
}

build_pgvector_from_source() {
    local pg_config src log_file
    local -a apt_private

    apt_install --no-install-recommends "postgresql-server-dev-${PG_VER}" build-essential dpkg-dev
    pg_config="/usr/lib/postgresql/${PG_VER}/bin/pg_config"
    [[ -x "${pg_config}" ]] || die "${pg_config} not found after installing postgresql-server-dev-${PG_VER}"

    debian_mirror
    local mirror=${MIRROR} keyring=${KEYRING}
    log "fetching Debian source package '${SOURCE_PACKAGE}' from ${mirror} ${SOURCE_SUITE}" \
        "(private apt sources list, keyring: ${keyring:-apt default})"

    tmp_dir
    mkdir -p "${TMP_DIR}/lists/partial" "${TMP_DIR}/sources.list.d" "${TMP_DIR}/src"
    chown -R _apt "${TMP_DIR}/lists/partial" "${TMP_DIR}/src" 2>/dev/null || true
    apt_private=(
        -o "Dir::Etc::SourceList=${TMP_DIR}/sources.list"
        -o "Dir::Etc::SourceParts=${TMP_DIR}/sources.list.d"
        -o "Dir::State::Lists=${TMP_DIR}/lists"
    )

    local signed=""
    [[ -n "${keyring}" ]] && signed="[signed-by=${keyring}] "
    printf 'deb-src %s%s %s main\n' "${signed}" "${mirror}" "${SOURCE_SUITE}" >"${TMP_DIR}/sources.list"
    if ! apt_quiet "${apt_private[@]}" update >/dev/null; then
        if [[ -z "${signed}" ]]; then
            die "apt-get update of ${mirror} ${SOURCE_SUITE} (deb-src) failed; check the mirror and the archive keys for ${SOURCE_SUITE}"
        fi
        # The keyring of the existing sources did not verify the trixie
        # Release file: retry with apt's default trusted keys.
        log "retrying ${SOURCE_SUITE} deb-src with apt's default trusted keys"
        printf 'deb-src %s %s main\n' "${mirror}" "${SOURCE_SUITE}" >"${TMP_DIR}/sources.list"
        apt_quiet "${apt_private[@]}" update >/dev/null \
            || die "apt-get update of ${mirror} ${SOURCE_SUITE} (deb-src) failed; the archive keys for ${SOURCE_SUITE} may be missing (debian-archive-keyring too old?)"
    fi

    (cd "${TMP_DIR}/src" && apt_quiet "${apt_private[@]}" source "${SOURCE_PACKAGE}" >/dev/null) \
        || die "apt-get source ${SOURCE_PACKAGE} (${SOURCE_SUITE}) failed"
    src=$(find "${TMP_DIR}/src" -mindepth 1 -maxdepth 1 -type d -name "${SOURCE_PACKAGE}-*" | head -n 1)
    [[ -n "${src}" && -f "${src}/Makefile" ]] || die "unpacked ${SOURCE_PACKAGE} source not found"
    log "building ${src##*/} (Debian source, patches applied by dpkg-source) against PostgreSQL ${PG_VER}"

    log_file="${TMP_DIR}/build.log"
    local -a mk=(make -C "${src}" USE_PGXS=1 "PG_CONFIG=${pg_config}" OPTFLAGS=)
    if ! "${mk[@]}" -j"$(nproc)" >"${log_file}" 2>&1; then
        tail -n 30 "${log_file}" >&2
        die "make of ${src##*/} failed"
    fi
    if ! "${mk[@]}" install >>"${log_file}" 2>&1; then
        tail -n 30 "${log_file}" >&2
        die "make install of ${src##*/} failed"
    fi
}

STEP="pgvector extension"
if vector_available; then
    log "pgvector is available to PostgreSQL ${PG_VER}"
else
    apt_update_once
    if apt_has_candidate "postgresql-${PG_VER}-pgvector"; then
        apt_install "postgresql-${PG_VER}-pgvector"
    else
        log "no package postgresql-${PG_VER}-pgvector in apt: building from Debian's ${SOURCE_SUITE} source"
        build_pgvector_from_source
    fi
    vector_available || die "pgvector was installed but PostgreSQL ${PG_VER} does not list the 'vector' extension"
    log "pgvector $(psql_su postgres -c "SELECT default_version FROM pg_available_extensions WHERE name='vector'") installed"
fi

# ------------------------------------------- step 3: role, database, extension
STEP="role and database"
role_state=$(psql_su postgres -c \
    "SELECT rolcanlogin AND rolcreatedb AND rolcreaterole AND rolpassword IS NOT NULL FROM pg_authid WHERE rolname='${ROLE}'")
if [[ -z "${role_state}" ]]; then
    log "creating role ${ROLE}"
    psql_su postgres -c "CREATE ROLE ${ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '${ROLE_PASSWORD}'" >/dev/null
elif [[ "${role_state}" != t ]]; then
    log "fixing role ${ROLE} (LOGIN CREATEDB CREATEROLE PASSWORD)"
    psql_su postgres -c "ALTER ROLE ${ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '${ROLE_PASSWORD}'" >/dev/null
fi

db_owner=$(psql_su postgres -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname='${DB}'")
if [[ -z "${db_owner}" ]]; then
    log "creating database ${DB} owned by ${ROLE}"
    psql_su postgres -c "CREATE DATABASE ${DB} OWNER ${ROLE}" >/dev/null
elif [[ "${db_owner}" != "${ROLE}" ]]; then
    log "changing owner of database ${DB} from ${db_owner} to ${ROLE}"
    psql_su postgres -c "ALTER DATABASE ${DB} OWNER TO ${ROLE}" >/dev/null
fi

STEP="create extension vector"
ext_version=$(psql_su "${DB}" -c "SELECT extversion FROM pg_extension WHERE extname='vector'")
if [[ -z "${ext_version}" ]]; then
    log "CREATE EXTENSION vector in ${DB}"
    psql_su "${DB}" -c 'CREATE EXTENSION IF NOT EXISTS vector' >/dev/null
    ext_version=$(psql_su "${DB}" -c "SELECT extversion FROM pg_extension WHERE extname='vector'")
    [[ -n "${ext_version}" ]] || die "extension vector missing in ${DB} after CREATE EXTENSION"
fi
log "vector extension version: ${ext_version}"

STEP="password login over TCP"
if ! err=$(psql_tcp -c 'SELECT 1' 2>&1 >/dev/null); then
    log "password login as ${ROLE} on 127.0.0.1:${PG_PORT} failed (${err//$'\n'/ }): fixing"
    listen=$(psql_su postgres -c 'SHOW listen_addresses')
    if [[ -z "${listen}" ]]; then
        log "listen_addresses is empty: setting it to 'localhost' and restarting ${PG_VER}/${PG_CLUSTER}"
        psql_su postgres -c "ALTER SYSTEM SET listen_addresses = 'localhost'" >/dev/null
        pg_ctlcluster --skip-systemctl-redirect "${PG_VER}" "${PG_CLUSTER}" restart 3>&- </dev/null \
            || die "restart of ${PG_VER}/${PG_CLUSTER} failed"
    fi
    # Reset the password in case the role had another one.
    psql_su postgres -c "ALTER ROLE ${ROLE} PASSWORD '${ROLE_PASSWORD}'" >/dev/null
    if ! psql_tcp -c 'SELECT 1' >/dev/null 2>&1; then
        hba_file=$(psql_su postgres -c 'SHOW hba_file')
        method=$(psql_su postgres -c 'SHOW password_encryption')
        [[ "${method}" == scram-sha-256 ]] || method=md5
        marker="# provision-postgres.sh: password login for ${ROLE} over 127.0.0.1"
        if ! grep -qxF "${marker}" "${hba_file}"; then
            log "adding a ${method} rule for ${ROLE} on 127.0.0.1/32 at the top of ${hba_file}"
            tmp_dir
            # pg_hba.conf is first-match: put the rule before all others.
            awk -v marker="${marker}" -v rule="host    all    ${ROLE}    127.0.0.1/32    ${method}" '
                !done && $0 !~ /^[[:space:]]*(#|$)/ { print marker; print rule; print ""; done = 1 }
                { print }
                END { if (!done) { print marker; print rule } }' "${hba_file}" >"${TMP_DIR}/pg_hba.conf"
            cat "${TMP_DIR}/pg_hba.conf" >"${hba_file}"
        fi
        psql_su postgres -c 'SELECT pg_reload_conf()' >/dev/null
    fi
    # The reload is asynchronous: poll with a deadline (10 s) instead of a fixed wait.
    for _ in $(seq 1 40); do
        err=$(psql_tcp -c 'SELECT 1' 2>&1 >/dev/null) && break
        sleep 0.25
    done
    err=$(psql_tcp -c 'SELECT 1' 2>&1 >/dev/null) \
        || die "password login as ${ROLE} on 127.0.0.1:${PG_PORT} still fails: ${err}"
fi
log "password login as ${ROLE} on 127.0.0.1:${PG_PORT} works"

# ------------------------------------------------------------ step 4: result
STEP="output"
printf 'jdbc:postgresql://127.0.0.1:%s/%s?user=%s&password=%s\n' \
    "${PG_PORT}" "${DB}" "${ROLE}" "${ROLE_PASSWORD}" >&3
