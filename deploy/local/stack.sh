#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
#
# The local stack of the Regional Data Hub on one Debian machine, without containers.
#
#   stack.sh up       install what is missing, start everything, migrate, seed, print URLs
#   stack.sh down     stop exactly what `up` started (pid files, never by process name)
#   stack.sh status   each service, its pid and its health
#   stack.sh start|stop|restart SERVICE   one service (see SERVICES below)
#
# Every piece of state (databases, logs, pid files, downloads, secrets) lives under $HUB_STATE_DIR
# (default: var/ in the checkout), which git ignores. Ports can be moved with the HUB_*_PORT variables.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="${HUB_STATE_DIR:-$ROOT/var}"
RUN="$STATE/run"
LOG="$STATE/log"
DIST="$STATE/dist"
VENV="${HUB_VENV:-$ROOT/.venv}"

PG_PORT="${HUB_PG_PORT:-5432}"
REDIS_PORT="${HUB_REDIS_PORT:-6379}"
MQTT_PORT="${HUB_MQTT_PORT:-1883}"
KC_PORT="${HUB_KEYCLOAK_PORT:-8080}"
KC_MGMT_PORT="${HUB_KEYCLOAK_MGMT_PORT:-9000}"
WEB_PORT="${HUB_WEB_PORT:-8000}"
CKAN_PORT="${HUB_CKAN_PORT:-5000}"
SMTP_PORT="${HUB_SMTP_PORT:-1025}"
OGC_PORT="${HUB_OGC_PORT:-8081}"
CKAN_VENV="$STATE/ckan/venv"
CKAN_INI="$STATE/ckan/ckan.ini"
KC_VERSION="${HUB_KEYCLOAK_VERSION:-26.5.6}"
PG_BIN="/usr/lib/postgresql/15/bin"
KC_HOME="$DIST/keycloak-$KC_VERSION"

# Start order; `down` stops in reverse.
SERVICES=(postgresql redis mosquitto mail keycloak ckan web mapserver worker ingest)

APT_PACKAGES=(
  postgresql-15 postgresql-15-postgis-3 postgresql-contrib
  redis-server redis-tools mosquitto mosquitto-clients
  openjdk-17-jre-headless maven
  gdal-bin binutils libproj25 gettext
  python3 python3-venv python3-dev build-essential libpq-dev libmagic1 curl ca-certificates
  cgi-mapserver chromium
)

say()  { printf '\033[1m==>\033[0m %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die()  { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as the PostgreSQL server's owner: `postgres` when we are root, ourselves otherwise.
as_pg() {
  if as_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

elapsed() { echo "$(( $(date +%s) - START_TS ))s"; }

# ---------------------------------------------------------------------------------------------
# install

install_packages() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then info "Debian packages: all present"; return; fi
  as_root || die "missing Debian packages (${missing[*]}); run 'make up' as root or install them"
  say "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  # policy-rc.d keeps the packages from starting their own system services: the hub runs its
  # own. Only a policy we wrote ourselves is removed again, also when the install fails.
  local policy=/usr/sbin/policy-rc.d status=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod +x "$policy"
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    > "$LOG/apt.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then tail -20 "$LOG/apt.log"; die "apt-get install failed (log: $LOG/apt.log)"; fi
  # A new package may upgrade PostgreSQL's binaries under a running server (libpq-dev pulls
  # postgresql-15 along): restart it, or loading plpgsql fails with undefined symbols.
  if alive postgresql; then info "restarting PostgreSQL after the upgrade"; stop_service postgresql; fi
}

# Copy one artifact (group:artifact:version[:type[:classifier]]) from Maven Central into $DIST.
maven_fetch() {
  mkdir -p "$DIST"
  mvn -q -B dependency:copy -Dartifact="$1" -DoutputDirectory="$DIST" > "$LOG/mvn.log" 2>&1 \
    || { tail -20 "$LOG/mvn.log"; die "mvn dependency:copy of $1 failed (log: $LOG/mvn.log)"; }
}

install_keycloak() {
  if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
    say "Fetching Keycloak $KC_VERSION (Maven Central: org.keycloak:keycloak-quarkus-dist)"
    maven_fetch "org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz"
    tar -xzf "$DIST/keycloak-quarkus-dist-$KC_VERSION.tar.gz" -C "$DIST"
    rm -f "$DIST/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
  fi
  # Build-time options are baked in once ("optimized" start); rebuild only when they change.
  local opts="--db=postgres --health-enabled=true"
  if [ "$(cat "$KC_HOME/.hub-build" 2>/dev/null)" != "$opts" ]; then
    say "Building Keycloak for PostgreSQL"
    # shellcheck disable=SC2086
    "$KC_HOME/bin/kc.sh" build $opts > "$LOG/keycloak-build.log" 2>&1 \
      || { tail -20 "$LOG/keycloak-build.log"; die "kc.sh build failed"; }
    echo "$opts" > "$KC_HOME/.hub-build"
  fi
  info "Keycloak $KC_VERSION: installed"
}

# The OGC conformance suite for SensorThings (TestNG, one jar), run by tests/sensors/test_ets.py.
ETS_STA_VERSION="${HUB_ETS_STA_VERSION:-1.5}"
install_ets() {
  [ -f "$DIST/ets-sta10-$ETS_STA_VERSION-aio.jar" ] && return
  say "Fetching the OGC SensorThings test suite $ETS_STA_VERSION (Maven Central: org.opengis.cite:ets-sta10)"
  maven_fetch "org.opengis.cite:ets-sta10:$ETS_STA_VERSION:jar:aio"
}

install_venv() {
  local stamp_file="$VENV/.hub-stamp" stamp
  stamp="$(cat "$ROOT/pyproject.toml" "$ROOT/requirements/hub.lock" | sha256sum | cut -c1-16)"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    info "Python environment: up to date"; return
  fi
  say "Installing the hub's Python environment ($VENV)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check uv
  "$VENV/bin/uv" pip sync -q --python "$VENV/bin/python" --require-hashes "$ROOT/requirements/hub.lock"
  "$VENV/bin/uv" pip install -q --python "$VENV/bin/python" --no-deps -e "$ROOT"
  echo "$stamp" > "$stamp_file"
}

install_ckan() {
  local stamp_file="$CKAN_VENV/.hub-stamp" stamp
  stamp="$(cat "$ROOT/deploy/local/ckan/requirements.txt" "$ROOT/ckanext-haldensleben/pyproject.toml" \
           "$ROOT/pyproject.toml" \
           | sha256sum | cut -c1-16)"
  if [ -x "$CKAN_VENV/bin/ckan" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
    info "CKAN environment: up to date"; return
  fi
  say "Installing CKAN 2.12 in its own environment ($CKAN_VENV)"
  mkdir -p "$STATE/ckan"
  [ -x "$CKAN_VENV/bin/python" ] || python3 -m venv "$CKAN_VENV"
  "$CKAN_VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/deploy/local/ckan/requirements.txt" \
    > "$LOG/ckan-install.log" 2>&1 || { tail -20 "$LOG/ckan-install.log"; die "CKAN install failed"; }
  "$CKAN_VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT/ckanext-haldensleben" \
    >> "$LOG/ckan-install.log" 2>&1 || { tail -20 "$LOG/ckan-install.log"; die "ckanext-haldensleben install failed"; }
  # identity/ (token checks, claims) is shared with the hub; its needs (PyJWT, requests) are
  # among CKAN's own pins, so the hub's distribution goes in without dependencies.
  "$CKAN_VENV/bin/pip" install -q --disable-pip-version-check --no-deps -e "$ROOT" \
    >> "$LOG/ckan-install.log" 2>&1 || { tail -20 "$LOG/ckan-install.log"; die "identity install into CKAN failed"; }
  echo "$stamp" > "$stamp_file"
}

ensure_secrets() {
  local f="$STATE/secrets.env"
  if [ ! -s "$f" ]; then
    say "Generating local secrets ($f, never committed)"
    umask 077
    {
      echo "HUB_DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
      echo "KEYCLOAK_DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
      echo "HUB_SECRET_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
      echo "KC_ADMIN_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
      echo "HUB_DEMO_PASSWORD=$(head -c 9 /dev/urandom | base64 | tr -d '/+=')"
    } > "$f"
    umask 022
  fi
  # Secrets added by later versions of this script are appended to an existing file.
  local key
  for key in HUB_OIDC_CLIENT_SECRET HUB_CKAN_CLIENT_SECRET HUB_OGC_CLIENT_SECRET \
             HUB_IDP_HOHE_BOERDE_SECRET CKAN_DB_PASSWORD CKAN_DATASTORE_RO_PASSWORD \
             CKAN_SECRET_KEY CKAN_SYSADMIN_PASSWORD HUB_OGC_DB_PASSWORD HUB_MQTT_PASSWORD; do
    grep -q "^$key=" "$f" || echo "$key=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >> "$f"
  done
  # shellcheck disable=SC1090
  source "$f"
  # The hub's configuration for this stack; hub/config.py reads it beneath the real environment.
  umask 077
  cat > "$STATE/hub.env" <<EOF
# Written by deploy/local/stack.sh for the local stack. Do not edit: it is rewritten by 'make up'.
HUB_SECRET_KEY=$HUB_SECRET_KEY
HUB_DEBUG=false
HUB_ALLOWED_HOSTS=localhost,127.0.0.1
HUB_STATE_DIR=$STATE
HUB_DB_HOST=127.0.0.1
HUB_DB_PORT=$PG_PORT
HUB_DB_NAME=hub
HUB_DB_USER=hub
HUB_DB_PASSWORD=$HUB_DB_PASSWORD
HUB_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
HUB_MQTT_HOST=127.0.0.1
HUB_MQTT_PORT=$MQTT_PORT
HUB_MQTT_USER=hub
HUB_MQTT_PASSWORD=$HUB_MQTT_PASSWORD
HUB_SMTP_PORT=$SMTP_PORT
HUB_KEYCLOAK_URL=http://localhost:$KC_PORT
HUB_KEYCLOAK_HEALTH_URL=http://127.0.0.1:$KC_MGMT_PORT/health/ready
HUB_KEYCLOAK_ADMIN_USER=admin
HUB_KEYCLOAK_ADMIN_PASSWORD=$KC_ADMIN_PASSWORD
HUB_DEMO_PASSWORD=$HUB_DEMO_PASSWORD
HUB_DEMO_DEPARTMENT_EMAIL=zustaendig+{slug}@hub.localhost
HUB_OIDC_CLIENT_SECRET=$HUB_OIDC_CLIENT_SECRET
HUB_CKAN_CLIENT_SECRET=$HUB_CKAN_CLIENT_SECRET
HUB_OGC_CLIENT_SECRET=$HUB_OGC_CLIENT_SECRET
HUB_IDP_HOHE_BOERDE_SECRET=$HUB_IDP_HOHE_BOERDE_SECRET
HUB_PUBLIC_URL=http://localhost:$WEB_PORT
HUB_CKAN_URL=http://localhost:$CKAN_PORT
HUB_CKAN_API_TOKEN=${HUB_CKAN_API_TOKEN:-}
HUB_OGC_URL=http://localhost:$OGC_PORT
HUB_OGC_PORT=$OGC_PORT
HUB_OGC_DB_PASSWORD=$HUB_OGC_DB_PASSWORD
EOF
  umask 022
}

# ---------------------------------------------------------------------------------------------
# process bookkeeping

pidfile() { echo "$RUN/$1.pid"; }

pid_of() {
  local f
  if [ "$1" = postgresql ]; then f="$STATE/pg/data/postmaster.pid"; else f="$(pidfile "$1")"; fi
  [ -s "$f" ] && head -1 "$f" || true
}

# The start time of a process (clock ticks since boot): with the pid it names one process for
# good, so a pid file that survived a reboot cannot point at an unrelated program.
started_at() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# The state letter of a process (R, S, D, Z …); a zombie ("Z") has exited and only waits to be
# reaped: it answers kill -0, but it serves nothing.
state_of() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }

alive() {
  local pid recorded; pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ "$(state_of "$pid")" != Z ] || return 1
  [ "$1" = postgresql ] && return 0  # PostgreSQL checks its own postmaster.pid
  recorded="$(sed -n 2p "$(pidfile "$1")" 2>/dev/null)"
  [ -z "$recorded" ] || [ "$recorded" = "$(started_at "$pid")" ]
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid listening on a local TCP port (empty if none, or if it is not ours to see).
# Every process that listens on the port: gunicorn's workers share their master's socket.
port_holders() { ss -Htlnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }

# A process left over from this checkout (an orphaned gunicorn worker after its master was
# killed, say): its command line or working directory is inside $ROOT or $STATE.
ours() {
  local pid="$1" where
  where="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) $(readlink "/proc/$pid/cwd" 2>/dev/null)"
  [[ "$where" == *"$ROOT"* || "$where" == *"$STATE"* ]]
}

port_of() {
  case "$1" in
    postgresql) echo "$PG_PORT" ;; redis) echo "$REDIS_PORT" ;; mosquitto) echo "$MQTT_PORT" ;;
    keycloak) echo "$KC_PORT" ;; ckan) echo "$CKAN_PORT" ;; web) echo "$WEB_PORT" ;;
    mapserver) echo "$OGC_PORT" ;; mail) echo "$SMTP_PORT" ;; *) echo "" ;;
  esac
}

# Make sure a port is free before a service starts on it: a leftover of ours is ended (its
# process group, then itself), another program's port is a clear error.
claim_port() {  # claim_port PORT MESSAGE
  local port="$1" holders pid signal i
  port_busy "$port" || return 0
  holders="$(port_holders "$port")"
  # Orphans of this stack (both workers of a killed gunicorn master, say) are ended, all of
  # them; a port held by anything else stops the start.
  for pid in $holders; do ours "$pid" || die "$2"; done
  if [ -n "$holders" ]; then
    info "orphaned processes of this stack (pid $(echo $holders)) still hold :$port; ending them"
    for signal in TERM KILL; do
      for pid in $holders; do kill "-$signal" -- "-$pid" 2>/dev/null || kill "-$signal" "$pid" 2>/dev/null || true; done
      for ((i = 0; i < 30; i++)); do port_busy "$port" || return 0; sleep 0.5; done
    done
  fi
  die "$2"
}

# Start a foreground program detached from the terminal and remember its pid.
launch() {
  local name="$1"; shift
  setsid "$@" >> "$LOG/$name.log" 2>&1 < /dev/null &
  local pid=$!
  printf '%s\n%s\n' "$pid" "$(started_at "$pid")" > "$(pidfile "$name")"
}

wait_for() {  # wait_for NAME SECONDS CHECK...
  local name="$1" secs="$2"; shift 2
  local i
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" > /dev/null 2>&1; then return 0; fi
    alive "$name" || { tail -30 "$LOG/$name.log" >&2 || true; die "$name exited during start-up (log: $LOG/$name.log)"; }
    sleep 0.5
  done
  tail -30 "$LOG/$name.log" >&2 || true
  die "$name did not become healthy within ${secs}s (log: $LOG/$name.log)"
}

# ---------------------------------------------------------------------------------------------
# health checks (used by start and status)

health_postgresql() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
health_redis()      { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
health_mosquitto()  { mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -u hub -P "$HUB_MQTT_PASSWORD" -t '$SYS/broker/version' -C 1 -W 3 > /dev/null; }
health_keycloak()   { curl -fsS -m 3 "http://127.0.0.1:$KC_MGMT_PORT/health/ready" > /dev/null; }
health_web()        { curl -fsS -m 5 "http://127.0.0.1:$WEB_PORT/healthz" > /dev/null; }
health_worker()     { hub_env "$VENV/bin/celery" -A hub inspect ping --timeout 3 -d "hub-worker@$(hostname)" > /dev/null; }
health_mapserver()  { curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$OGC_PORT/"; }
health_ingest()     { alive ingest; }
health_mail()       { "$VENV/bin/python" -c "import smtplib; smtplib.SMTP('127.0.0.1', $SMTP_PORT, timeout=3).quit()" 2> /dev/null; }

hub_env() { HUB_ENV_FILE="$STATE/hub.env" "$@"; }

# ---------------------------------------------------------------------------------------------
# services

start_postgresql() {
  local data="$STATE/pg/data"
  mkdir -p "$STATE/pg" "$RUN/pg"
  # PostgreSQL runs as `postgres` (and Mosquitto as `mosquitto`): they must reach the state
  # folder, which a checkout under /root (mode 0700) does not allow.
  if as_root && ! runuser -u postgres -- test -x "$STATE"; then
    die "the postgres user cannot reach $STATE; clone elsewhere (e.g. /srv) or set HUB_STATE_DIR"
  fi
  if as_root; then chown postgres:postgres "$STATE/pg" "$RUN/pg"; touch "$LOG/postgresql.log"; chown postgres "$LOG/postgresql.log"; fi
  if [ ! -s "$data/PG_VERSION" ]; then
    say "Creating the PostgreSQL cluster ($data)"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=peer --auth-host=scram-sha-256 > "$LOG/initdb.log"
    cat >> "$data/postgresql.conf" <<EOF
# --- local stack of the Regional Data Hub ---
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$RUN/pg'
shared_buffers = 64MB
max_connections = 200
EOF
  fi
  if alive postgresql; then info "postgresql: running"; else
    claim_port "$PG_PORT" "port $PG_PORT is taken by another program; set HUB_PG_PORT"
    say "Starting PostgreSQL 15 on :$PG_PORT"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$LOG/postgresql.log" -w -t 60 start > /dev/null
  fi
  wait_for postgresql 60 health_postgresql
  ensure_databases
}

psql_su() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$RUN/pg" -p "$PG_PORT" -U postgres "$@"; }

ensure_databases() {
  # Roles and databases; postgis goes into template1 so that test databases inherit it
  # (creating the extension needs a superuser, the hub's role is not one).
  psql_su -d postgres <<EOF > /dev/null
SELECT 'x';
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub') THEN CREATE ROLE hub LOGIN CREATEDB; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'keycloak') THEN CREATE ROLE keycloak LOGIN; END IF;
END \$\$;
ALTER ROLE hub PASSWORD '$HUB_DB_PASSWORD' NOSUPERUSER NOBYPASSRLS;
ALTER ROLE keycloak PASSWORD '$KEYCLOAK_DB_PASSWORD';
-- MapServer reads the public layers (schema ogc) with this role; the hub's migrations grant it
-- exactly those views and columns.
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hub_ogc') THEN CREATE ROLE hub_ogc LOGIN; END IF;
END \$\$;
ALTER ROLE hub_ogc PASSWORD '$HUB_OGC_DB_PASSWORD' NOSUPERUSER NOBYPASSRLS NOCREATEDB;
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ckan') THEN CREATE ROLE ckan LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'datastore_ro') THEN CREATE ROLE datastore_ro LOGIN; END IF;
END \$\$;
ALTER ROLE ckan PASSWORD '$CKAN_DB_PASSWORD';
ALTER ROLE datastore_ro PASSWORD '$CKAN_DATASTORE_RO_PASSWORD';
SELECT 'CREATE DATABASE ckan OWNER ckan' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'ckan')\gexec
SELECT 'CREATE DATABASE datastore OWNER ckan' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'datastore')\gexec
SELECT 'CREATE DATABASE hub OWNER hub' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hub')\gexec
SELECT 'CREATE DATABASE keycloak OWNER keycloak' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'keycloak')\gexec
EOF
  PGOPTIONS="--client-min-messages=warning" psql_su -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" > /dev/null
  PGOPTIONS="--client-min-messages=warning" psql_su -d hub -c "CREATE EXTENSION IF NOT EXISTS postgis" > /dev/null
}

start_redis() {
  if alive redis; then info "redis: running"; return; fi
  claim_port "$REDIS_PORT" "port $REDIS_PORT is taken by another program; set HUB_REDIS_PORT"
  say "Starting Redis on :$REDIS_PORT"
  mkdir -p "$STATE/redis"
  launch redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$STATE/redis" \
    --daemonize no --save 60 1 --maxmemory 256mb --maxmemory-policy noeviction \
    --appendonly yes --appendfsync always
  wait_for redis 30 health_redis
}

start_mosquitto() {
  if alive mosquitto; then info "mosquitto: running"; return; fi
  claim_port "$MQTT_PORT" "port $MQTT_PORT is taken by another program; set HUB_MQTT_PORT"
  say "Starting Mosquitto on :$MQTT_PORT"
  mkdir -p "$STATE/mosquitto"
  local user_line=""
  if as_root; then chown mosquitto "$STATE/mosquitto"; user_line="user mosquitto"; fi
  # No anonymous access: the hub's processes are user "hub"; each tenant's devices are a user
  # named after the tenant (hub sensors mqtt-password <slug>) and may use hub/<slug>/# only.
  local pw="$STATE/mosquitto/passwd"
  [ -f "$pw" ] || { : > "$pw"; chmod 0600 "$pw"; }
  mosquitto_passwd -b "$pw" hub "$HUB_MQTT_PASSWORD"
  cat > "$STATE/mosquitto/acl" <<EOF
user hub
topic readwrite #
topic read \$SYS/#

pattern readwrite hub/%u/#
EOF
  if as_root; then chown mosquitto "$pw" "$STATE/mosquitto/acl"; fi
  cat > "$STATE/mosquitto/mosquitto.conf" <<EOF
$user_line
listener $MQTT_PORT 127.0.0.1
allow_anonymous false
password_file $pw
acl_file $STATE/mosquitto/acl
persistence true
persistence_location $STATE/mosquitto/
# Save the in-memory store every second (Mosquitto 2.0 saves only every 30 minutes and on a
# clean stop otherwise): a crash loses at most the last second of what it acknowledged.
autosave_interval 1
autosave_on_changes false
log_dest stdout
# Sensor ingest (hub ingest) acknowledges QoS 1 only after its batch is committed: a whole
# batch is in flight, and while PostgreSQL is away the broker keeps what keeps arriving.
max_inflight_messages 20000
max_queued_messages 2000000
max_queued_bytes 0
# A sensor sends bytes, not megabytes: the broker disconnects a client sending a bigger packet.
# Messages up to this size reach ingest, which keeps those over 256 KiB as dead letters, whole.
max_packet_size 1048576
persistent_client_expiration 14d
EOF
  launch mosquitto mosquitto -c "$STATE/mosquitto/mosquitto.conf"
  wait_for mosquitto 30 health_mosquitto
}

start_keycloak() {
  if alive keycloak; then info "keycloak: running"; wait_for keycloak 180 health_keycloak; return; fi
  claim_port "$KC_PORT" "port $KC_PORT is taken by another program; set HUB_KEYCLOAK_PORT"
  claim_port "$KC_MGMT_PORT" "port $KC_MGMT_PORT is taken by another program; set HUB_KEYCLOAK_MGMT_PORT"
  say "Starting Keycloak $KC_VERSION on :$KC_PORT (first start takes a minute)"
  cp "$ROOT/deploy/local/keycloak/quarkus.properties" "$KC_HOME/conf/quarkus.properties"
  # The bootstrap admin only takes effect when the master realm has no admin yet. A local cache:
  # one node needs no cluster, and JGroups would listen beyond loopback. A 256 MiB heap with
  # the serial collector holds the region's realms and the test realms; G1 (kc.sh's default)
  # claims its whole maximum and adds its own bookkeeping (ADR 0010).
  launch keycloak env \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD="$KC_ADMIN_PASSWORD" \
    KC_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/keycloak" KC_DB_USERNAME=keycloak \
    KC_DB_PASSWORD="$KEYCLOAK_DB_PASSWORD" \
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx256m -XX:MaxMetaspaceSize=256m" \
    JAVA_OPTS_APPEND="-XX:-UseG1GC -XX:+UseSerialGC" \
    "$KC_HOME/bin/kc.sh" start --optimized --http-enabled=true --http-host=127.0.0.1 \
    --http-port="$KC_PORT" --http-management-port="$KC_MGMT_PORT" \
    --hostname="http://localhost:$KC_PORT" --cache=local
  wait_for keycloak 240 health_keycloak
}

health_ckan() { curl -fsS -m 5 "http://127.0.0.1:$CKAN_PORT/api/3/action/status_show" > /dev/null; }

# CKAN's CLI logs at INFO to stderr; that goes to its log, the command's output stays here.
ckan_cli() { CKAN_INI="$CKAN_INI" "$CKAN_VENV/bin/ckan" -c "$CKAN_INI" "$@" 2>> "$LOG/ckan-cli.log"; }

configure_ckan() {
  mkdir -p "$STATE/ckan/storage"
  # ckanext-haldensleben's German texts (the .mo is built, not committed).
  local po
  for po in "$ROOT"/ckanext-haldensleben/ckanext/haldensleben/i18n/*/LC_MESSAGES/*.po; do
    msgfmt -o "${po%.po}.mo" "$po"
  done
  [ -s "$CKAN_INI" ] || "$CKAN_VENV/bin/ckan" generate config "$CKAN_INI" > /dev/null
  # The generated empty SESSION_COOKIE_DOMAIN makes CKAN send "Domain=;", which browsers ignore
  # but other cookie jars (Python's, curl's) read as a domain nothing matches.
  sed -i '/^SESSION_COOKIE_DOMAIN *= *$/d' "$CKAN_INI"
  # The settings of the local stack, applied at every start (config-tool is idempotent).
  # pool_size 1: a sync worker serves one request at a time, so one kept connection per
  # engine; a request that needs another opens it and closes it after. An idle backend keeps
  # the shared buffers it touched resident (issue 12: ~85 MiB RSS each after make test).
  "$CKAN_VENV/bin/ckan" config-tool "$CKAN_INI" \
    "sqlalchemy.url = postgresql://ckan:$CKAN_DB_PASSWORD@127.0.0.1:$PG_PORT/ckan" \
    "ckan.datastore.write_url = postgresql://ckan:$CKAN_DB_PASSWORD@127.0.0.1:$PG_PORT/datastore" \
    "ckan.datastore.read_url = postgresql://datastore_ro:$CKAN_DATASTORE_RO_PASSWORD@127.0.0.1:$PG_PORT/datastore" \
    "ckan.site_url = http://localhost:$CKAN_PORT" \
    "ckan.site_id = regionaler-datenhub" \
    "ckan.site_title = Offene Daten der Region Haldensleben" \
    "ckan.site_logo = " \
    "ckan.site_description = Offene Daten der Gemeinden, Verbände und Netzwerke rund um Haldensleben im Landkreis Börde" \
    "ckan.locale_default = de" \
    "ckan.locales_offered = de en" \
    "ckan.redis.url = redis://127.0.0.1:$REDIS_PORT/2" \
    "ckan.storage_path = $STATE/ckan/storage" \
    "SECRET_KEY = $CKAN_SECRET_KEY" \
    "api_token.jwt.encode.secret = string:$CKAN_SECRET_KEY" \
    "api_token.jwt.decode.secret = string:$CKAN_SECRET_KEY" \
    "solr_url = http://127.0.0.1:1/solr-not-used" \
    "sqlalchemy.pool_pre_ping = true" \
    "sqlalchemy.pool_size = 1" \
    "ckan.datastore.sqlalchemy.pool_size = 1" \
    "ckan.gravatar_default = disabled" \
    "ckan.plugins = activity datastore haldensleben_search haldensleben haldensleben_oidc scheming_datasets dcat" \
    "scheming.dataset_schemas = ckanext.haldensleben:schemas/dcatap_de.yaml" \
    "scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml" \
    "licenses_group_url = file://$ROOT/ckanext-haldensleben/ckanext/haldensleben/schemas/licenses.json" \
    "ckanext.dcat.resource.inherit.license = true" \
    "ckanext.haldensleben.hub_url = http://localhost:$WEB_PORT" \
    "ckanext.haldensleben.contributor_id = http://dcat-ap.de/def/contributors/regionalerDatenhubHaldensleben" \
    "ckanext.haldensleben.oidc.issuer = http://localhost:$KC_PORT/realms/region" \
    "ckanext.haldensleben.oidc.client_secret = $HUB_CKAN_CLIENT_SECRET" \
    "ckanext.dcat.rdf.profiles = euro_dcat_ap_3 dcatap_de" > /dev/null
}

start_ckan() {
  if alive ckan; then info "ckan: running"; return; fi
  claim_port "$CKAN_PORT" "port $CKAN_PORT is taken by another program; set HUB_CKAN_PORT"
  configure_ckan
  say "Preparing CKAN's databases"
  ckan_cli db upgrade > /dev/null || { tail -20 "$LOG/ckan-cli.log"; die "ckan db upgrade failed"; }
  ckan_cli datastore set-permissions | psql_su -d datastore > /dev/null 2>> "$LOG/ckan-cli.log"
  say "Starting CKAN 2.12 on :$CKAN_PORT"
  launch ckan env CKAN_INI="$CKAN_INI" "$CKAN_VENV/bin/gunicorn" --chdir "$ROOT/deploy/local/ckan" wsgi:application \
    --bind "127.0.0.1:$CKAN_PORT" --workers 2 --timeout 120
  wait_for ckan 120 health_ckan
  ensure_ckan_sysadmin
}

ensure_ckan_sysadmin() {
  # The hub publishes through the Action API as sysadmin "hub", with a token kept in secrets.env.
  if ! ckan_cli user show hub 2>/dev/null | grep -q "name=hub"; then
    ckan_cli user add hub email=hub@regionaler-datenhub.invalid password="$CKAN_SYSADMIN_PASSWORD" > /dev/null
  fi
  ckan_cli sysadmin add hub > /dev/null 2>&1 || true
  if ! grep -q "^HUB_CKAN_API_TOKEN=." "$STATE/secrets.env"; then
    local token
    token="$(ckan_cli user token add hub hub --quiet | tail -1)"
    echo "HUB_CKAN_API_TOKEN=$token" >> "$STATE/secrets.env"
    HUB_CKAN_API_TOKEN="$token"
    sed -i "s|^HUB_CKAN_API_TOKEN=.*|HUB_CKAN_API_TOKEN=$token|" "$STATE/hub.env"
  fi
}

start_web() {
  if alive web; then info "web: running"; return; fi
  claim_port "$WEB_PORT" "port $WEB_PORT is taken by another program; set HUB_WEB_PORT"
  say "Starting the hub (gunicorn) on :$WEB_PORT"
  launch web env HUB_ENV_FILE="$STATE/hub.env" "$VENV/bin/gunicorn" hub.wsgi \
    --bind "127.0.0.1:$WEB_PORT" --workers 2 --timeout 60 --access-logfile "$LOG/web-access.log"
  wait_for web 60 curl -s -m 3 -o /dev/null "http://127.0.0.1:$WEB_PORT/healthz"
}

start_mapserver() {
  if alive mapserver; then info "mapserver: running"; return; fi
  claim_port "$OGC_PORT" "port $OGC_PORT is taken by another program; set HUB_OGC_PORT"
  say "Starting MapServer (WMS, WFS, OGC API Features) on :$OGC_PORT"
  launch mapserver env HUB_ENV_FILE="$STATE/hub.env" "$VENV/bin/python" -m hub.geo.gateway --port "$OGC_PORT"
  wait_for mapserver 30 health_mapserver
}

start_ingest() {
  if alive ingest; then info "ingest: running"; return; fi
  say "Starting the sensor ingest consumer (MQTT → PostgreSQL)"
  launch ingest env HUB_ENV_FILE="$STATE/hub.env" "$VENV/bin/hub" ingest
  sleep 1
  alive ingest || { tail -20 "$LOG/ingest.log"; die "hub ingest exited (log: $LOG/ingest.log)"; }
}

start_mail() {
  if alive mail; then info "mail: running"; return; fi
  claim_port "$SMTP_PORT" "port $SMTP_PORT is taken by another program; set HUB_SMTP_PORT"
  say "Starting the SMTP sink on :$SMTP_PORT (mails → var/mail/)"
  launch mail env HUB_ENV_FILE="$STATE/hub.env" "$VENV/bin/python" -m hub.core.mailsink
  wait_for mail 30 health_mail
}

start_worker() {
  if alive worker; then info "worker: running"; return; fi
  say "Starting the Celery worker"
  mkdir -p "$STATE/celery"
  # One process: tasks wait on SMTP, CKAN and PostgreSQL, so two threads serve them as well as
  # two forked children would, and beat is a thread of it, not a forked copy (ADR 0010).
  launch worker env HUB_ENV_FILE="$STATE/hub.env" "$VENV/bin/celery" -A hub worker --beat-thread \
    --schedule "$STATE/celery/beat-schedule" --pool threads \
    -n "hub-worker@$(hostname)" --concurrency 2 --loglevel INFO
  wait_for worker 60 health_worker
}

stop_service() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if [ -z "$pid" ] || ! alive "$name"; then
    # Gone, or the pid now belongs to another program (after a reboot): never signal it.
    rm -f "$(pidfile "$name")"; return
  fi
  info "stopping $name (pid $pid)"
  if [ "$name" = postgresql ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$STATE/pg/data" -m fast -w -t 60 stop > /dev/null
    return
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    info "$name did not stop within 30s; killing its process group"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  # launch() made each service the leader of its own process group: whatever it left behind
  # (kc.sh's java, a worker's child) is ours to end too, and nothing else is.
  if kill -0 -- "-$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$name")"
}

# ---------------------------------------------------------------------------------------------
# commands

prepare_dirs() { mkdir -p "$STATE" "$RUN" "$LOG" "$DIST"; }

load_secrets() {
  [ -s "$STATE/secrets.env" ] || die "no $STATE/secrets.env yet: run 'make up' first"
  # shellcheck disable=SC1090
  source "$STATE/secrets.env"
}

hub() { hub_env "$VENV/bin/hub" "$@"; }

cmd_install() {
  prepare_dirs
  install_packages
  install_venv
  install_keycloak
  install_ckan
  install_ets
  ensure_secrets
}

cmd_start() {
  prepare_dirs
  load_secrets
  for s in "${SERVICES[@]}"; do
    case "$s" in
      web)
        # The schema must exist before the web and the workers serve anything.
        say "Migrating the hub database"
        hub migrate --noinput | sed -n 's/^  Applying /    applied /p'
        hub compilemessages --ignore '.venv' --ignore 'var' --ignore 'ckanext-haldensleben' -v 0
        hub collectstatic --noinput -v 0
        ;;
    esac
    "start_$s"
  done
}

cmd_seed() {
  say "Seeding: each app's registered step, in order (hub seed --list)"
  hub seed
}

print_urls() {
  load_secrets
  cat <<EOF

$(printf '\033[1m')Regional Data Hub — local stack is up$(printf '\033[0m') ($(elapsed))

  Hub (start page)        http://localhost:$WEB_PORT/
  A tenant's services     http://localhost:$WEB_PORT/t/haldensleben/
  Search                  http://localhost:$WEB_PORT/suche/?q=Bahnhof
  Hub admin               http://localhost:$WEB_PORT/admin/
  Hub API (OpenAPI docs)  http://localhost:$WEB_PORT/api/v1/docs
  Health                  http://localhost:$WEB_PORT/healthz
  Keycloak admin console  http://localhost:$KC_PORT/admin/
  CKAN (open data)        http://localhost:$CKAN_PORT/  (API /api/3/action/, DCAT /catalog.ttl)
  Report a problem        http://localhost:$WEB_PORT/melden/  (for one tenant: /t/<slug>/melden/,
                          list: /t/<slug>/meldungen/)
  Consultation (demo)     http://localhost:$WEB_PORT/t/haldensleben/beteiligung/marktplatz/
  Sensors (latest values) http://localhost:$WEB_PORT/t/haldensleben/sensoren/
                          (JSON: /api/v1/t/haldensleben/sensoren/aktuell.json)
                          (demo readings: hub simulate sensors --interval 10)
  Open311 GeoReport v2    http://localhost:$WEB_PORT/open311/v2/discovery.json
  OGC services (MapServer) http://localhost:$OGC_PORT/<slug>/?SERVICE=WMS&REQUEST=GetCapabilities
                          http://localhost:$OGC_PORT/<slug>/ogcapi/collections/meldungen/items
  Mails (SMTP sink :$SMTP_PORT)  $STATE/mail/*.eml
  PostgreSQL              127.0.0.1:$PG_PORT (databases hub, keycloak)
  Redis                   127.0.0.1:$REDIS_PORT
  MQTT (Mosquitto)        127.0.0.1:$MQTT_PORT  (user hub / $HUB_MQTT_PASSWORD; a tenant's devices:
                          hub sensors mqtt-password <slug>, then hub/<slug>/devices/<device>/up)
  SensorThings API        http://localhost:$WEB_PORT/sta/v1.1/

  Demo logins (local only; passwords are in $STATE/secrets.env)
    Sign in at http://localhost:$WEB_PORT/oidc/authenticate/ (realm "region"):
      editor.haldensleben   editor of Stadt Haldensleben          / $HUB_DEMO_PASSWORD
      admin.landkreis       tenant admin of Landkreis Börde       / $HUB_DEMO_PASSWORD
      region.admin          region admin (Landkreis and below)    / $HUB_DEMO_PASSWORD
      buerger.demo          citizen                               / $HUB_DEMO_PASSWORD
      m.mustermann          via "Hohe Börde" directory (brokered) / $HUB_DEMO_PASSWORD
    Django admin (local)    admin / $HUB_DEMO_PASSWORD
    Keycloak admin console  admin / $KC_ADMIN_PASSWORD

  make status · make test · make down
EOF
}

cmd_status() {
  [ -d "$STATE" ] || { echo "The stack has never been started here (no $STATE)."; exit 3; }
  [ -s "$STATE/secrets.env" ] && load_secrets
  local s pid health bad=0
  printf '%-11s %-8s %-9s %s\n' SERVICE PID STATE HEALTH
  for s in "${SERVICES[@]}"; do
    pid="$(pid_of "$s")"
    if alive "$s"; then
      if "health_$s" > /dev/null 2>&1; then health="ok"; else health="FAILING"; bad=1; fi
      printf '%-11s %-8s %-9s %s\n' "$s" "$pid" running "$health"
    else
      local port holder note="-"
      port="$(port_of "$s")"
      if [ -n "$port" ] && port_busy "$port"; then
        holder="$(port_holders "$port" | head -1)"
        if [ -n "$holder" ] && ours "$holder"; then
          note="orphan pid $holder holds :$port (make up ends it)"
        else
          note=":$port is held by another program"
        fi
      fi
      printf '%-11s %-8s %-9s %s\n' "$s" - stopped "$note"; bad=1
    fi
  done
  return "$bad"
}

cmd_down() {
  say "Stopping the local stack"
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_service "${SERVICES[$i]}"; done
  info "stopped"
}

START_TS="$(date +%s)"
case "${1:-}" in
  up)       cmd_install; cmd_start; cmd_seed; print_urls ;;
  install)  cmd_install ;;
  start)    shift; prepare_dirs; load_secrets
            if [ $# -eq 0 ]; then cmd_start; else for s in "$@"; do "start_$s"; done; fi ;;
  stop)     shift; [ $# -gt 0 ] || die "stop which service? (${SERVICES[*]})"
            for s in "$@"; do stop_service "$s"; done ;;
  restart)  shift; prepare_dirs; load_secrets
            # A code change may bring new static files, messages or migrations with it.
            if [[ " $* " == *" web "* ]]; then
              hub migrate --noinput | sed -n 's/^  Applying /    applied /p'
              hub compilemessages --ignore '.venv' --ignore 'var' --ignore 'ckanext-haldensleben' -v 0
              hub collectstatic --noinput -v 0
            fi
            for s in "$@"; do stop_service "$s"; "start_$s"; done ;;
  seed)     cmd_seed ;;
  status)   cmd_status ;;
  down)     cmd_down ;;
  urls)     print_urls ;;
  *)        sed -n '4,12p' "$0"; exit 2 ;;
esac
