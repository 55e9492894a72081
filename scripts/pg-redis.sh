#!/usr/bin/env bash
# PostgreSQL and Redis for the production profile, on loopback, owned by this project.
#
#   scripts/pg-redis.sh start [DIR]   install with apt if missing, initialise DIR once, start both
#   scripts/pg-redis.sh stop  [DIR]   stop both (fast shutdown; the data stays in DIR)
#   scripts/pg-redis.sh status [DIR]  exit 0 when both answer
#   scripts/pg-redis.sh env   [DIR]   print the variables endpoints-prod.yml reads (sh syntax)
#
# DIR defaults to var/pg-redis. Ports: PG_PORT (default 55432) and REDIS_PORT (default 56379),
# so the distribution's own services on 5432/6379, if any, are left alone. Without them, the
# ports of the last start (DIR/ports.env) are reused. PostgreSQL runs as the `postgres` user
# (initdb refuses root), Redis as `redis` when that user exists. Both listen on 127.0.0.1 only
# and require a password, generated at the first start into DIR/credentials.env (mode 600).
# Nothing here touches systemd or the distribution's clusters.
set -euo pipefail

cmd=${1:-}
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$repo/var/pg-redis}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
pgdata=$dir/postgres
redisdir=$dir/redis
SUDO=$(if [ "$(id -u)" = 0 ]; then echo; else echo sudo; fi)

log() { echo "pg-redis: $*" >&2; }

pg_bin() {
    local bin
    for bin in /usr/lib/postgresql/*/bin; do
        [ -x "$bin/initdb" ] && { echo "$bin"; return 0; }
    done
    return 1
}

install_if_missing() {
    if pg_bin >/dev/null && command -v redis-server >/dev/null; then
        return 0
    fi
    log "installing postgresql and redis-server with apt-get..."
    $SUDO apt-get update -qq
    # policy-rc.d 101: apt must not start the distribution's own services on 5432/6379.
    local policy=/usr/sbin/policy-rc.d created_policy=
    if [ ! -e $policy ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee $policy >/dev/null
        $SUDO chmod 755 $policy
        created_policy=1
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
    [ -n "$created_policy" ] && $SUDO rm -f $policy
    pg_bin >/dev/null && command -v redis-server >/dev/null
}

as_user() { # as_user USER CMD... : run as USER when we are root, else as ourselves
    local user=$1; shift
    if [ "$(id -u)" = 0 ] && id "$user" >/dev/null 2>&1; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

load_env() {
    # Ports given in the environment win; otherwise the ones of the last start; otherwise the defaults.
    local pg=${PG_PORT:-} redis=${REDIS_PORT:-}
    if [ -f "$dir/ports.env" ]; then
        # shellcheck disable=SC1091
        . "$dir/ports.env"
    fi
    PG_PORT=${pg:-${PG_PORT:-55432}}
    REDIS_PORT=${redis:-${REDIS_PORT:-56379}}
    if [ -f "$dir/credentials.env" ]; then
        # shellcheck disable=SC1091
        . "$dir/credentials.env"
    fi
}

print_env() {
    load_env
    cat <<EOF
PG_HOST=127.0.0.1
PG_PORT=$PG_PORT
PG_DB=rasa
PG_USER=rasa
PG_PASSWORD=$PG_PASSWORD
REDIS_HOST=127.0.0.1
REDIS_PORT=$REDIS_PORT
REDIS_PASSWORD=$REDIS_PASSWORD
EOF
}

initialise() {
    load_env
    if [ ! -f "$dir/credentials.env" ]; then
        umask 077
        printf 'PG_PASSWORD=%s\nREDIS_PASSWORD=%s\n' \
            "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
            "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$dir/credentials.env"
        umask 022
        . "$dir/credentials.env"
    fi
    printf 'PG_PORT=%s\nREDIS_PORT=%s\n' "$PG_PORT" "$REDIS_PORT" >"$dir/ports.env"
    # The postgres and redis users must be able to reach their folders.
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
        log "the postgres user cannot reach $dir: make its parent folders traversable (chmod o+x)"
        exit 1
    fi
    mkdir -p "$redisdir"
    if id redis >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then chown redis: "$redisdir"; fi
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        mkdir -p "$pgdata"
        if [ "$(id -u)" = 0 ]; then chown postgres: "$pgdata"; fi
        chmod 700 "$pgdata"
        local pwfile
        pwfile=$(mktemp)
        printf '%s\n' "$PG_PASSWORD" >"$pwfile"
        if [ "$(id -u)" = 0 ]; then chown postgres: "$pwfile"; fi
        as_user postgres "$(pg_bin)/initdb" -D "$pgdata" -U rasa --pwfile="$pwfile" \
            --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
        rm -f "$pwfile"
        created_cluster=1
    fi
}

pg_ready() { "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }
redis_ready() { REDISCLI_AUTH=$REDIS_PASSWORD redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start() {
    install_if_missing
    created_cluster=
    initialise
    if ! pg_ready; then
        # Unix socket in the data folder (not /var/run/postgresql, which may not exist or be someone else's).
        as_user postgres "$(pg_bin)/pg_ctl" -D "$pgdata" -l "$pgdata/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $pgdata -c max_connections=200" >/dev/null
    fi
    if [ -n "$created_cluster" ]; then
        PGPASSWORD=$PG_PASSWORD "$(pg_bin)/createdb" -h 127.0.0.1 -p "$PG_PORT" -U rasa rasa
    fi
    if ! redis_ready; then
        # The password goes in through a config file, not the command line (ps would show it).
        local conf=$redisdir/redis.conf
        umask 077
        cat >"$conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
requirepass $REDIS_PASSWORD
dir $redisdir
daemonize yes
pidfile $redisdir/redis.pid
logfile $redisdir/redis.log
save ""
appendonly no
EOF
        umask 022
        if id redis >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then chown redis: "$conf"; fi
        as_user redis redis-server "$conf"
        for _ in $(seq 50); do redis_ready && break; sleep 0.1; done
    fi
    pg_ready && redis_ready || { log "did not start; see $pgdata/postgres.log and $redisdir/redis.log"; exit 1; }
    log "PostgreSQL on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT (data in $dir)"
}

stop() {
    load_env
    if [ -f "$pgdata/postmaster.pid" ]; then
        as_user postgres "$(pg_bin)/pg_ctl" -D "$pgdata" -m fast -w -t 60 stop >/dev/null || true
    fi
    if [ -f "$redisdir/redis.pid" ]; then
        local pid
        pid=$(cat "$redisdir/redis.pid")
        # Only the redis-server we started: check the pid still is one before signalling it.
        if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q redis-server; then
            kill "$pid"
            for _ in $(seq 100); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
        fi
        rm -f "$redisdir/redis.pid"
    fi
    log "stopped (data kept in $dir)"
}

case $cmd in
    start) start ;;
    stop) stop ;;
    status) load_env; pg_ready && redis_ready ;;
    env) print_env ;;
    *) echo "usage: $0 start|stop|status|env [DIR]" >&2; exit 2 ;;
esac
