#!/usr/bin/env bash
# Local engines for the handler tests, run on loopback only and owned by this checkout:
#   MariaDB (MySQL wire protocol, TLS on) on 127.0.0.1:${MARIADB_PORT:-33061}
# Installs MariaDB from Debian's packages when it is missing (CI machines start clean),
# never uses systemd, keeps its data in .services/ and is idempotent.
#
#   bash scripts/services.sh start|stop|status
# dynalite (DynamoDB) and the HTTP fixtures run in-process inside the tests.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/.services/mariadb"
PORT="${MARIADB_PORT:-33061}"
SOCKET="$DIR/mysqld.sock"

log() { echo "services: $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

install_mariadb() {
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] && return 0
  log "installing mariadb-server from Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client openssl >/dev/null
}

make_tls() {
  [ -f "$DIR/tls/server-cert.pem" ] && return 0
  mkdir -p "$DIR/tls"
  (
    cd "$DIR/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=cdk-service-integration test CA" \
      -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server-req.pem 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
    openssl x509 -req -in server-req.pem -days 3650 -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
      -extfile san.ext -out server-cert.pem 2>/dev/null
  )
}

running() {
  [ -f "$DIR/mysqld.pid" ] && kill -0 "$(cat "$DIR/mysqld.pid")" 2>/dev/null
}

start() {
  install_mariadb
  export PATH="$PATH:/usr/sbin"
  mkdir -p "$DIR"
  make_tls
  if running; then
    log "MariaDB already running on 127.0.0.1:$PORT"
    return 0
  fi
  if [ ! -d "$DIR/data/mysql" ]; then
    mariadb-install-db --no-defaults --datadir="$DIR/data" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve >"$DIR/install.log" 2>&1
  fi
  mariadbd --no-defaults --datadir="$DIR/data" --socket="$SOCKET" --pid-file="$DIR/mysqld.pid" \
    --port="$PORT" --bind-address=127.0.0.1 --user="$(id -un)" --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=128M --max-connections=200 \
    --ssl-ca="$DIR/tls/ca.pem" --ssl-cert="$DIR/tls/server-cert.pem" --ssl-key="$DIR/tls/server-key.pem" \
    --log-error="$DIR/error.log" >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    if mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$PORT" -uroot ping >/dev/null 2>&1; then
      log "MariaDB ready on 127.0.0.1:$PORT (TLS CA: .services/mariadb/tls/ca.pem)"
      return 0
    fi
    sleep 0.1
  done
  log "MariaDB did not start; see $DIR/error.log"
  tail -20 "$DIR/error.log" >&2 || true
  return 1
}

stop() {
  export PATH="$PATH:/usr/sbin"
  if running; then
    mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$PORT" -uroot shutdown || kill "$(cat "$DIR/mysqld.pid")"
    log "MariaDB stopped"
  else
    log "MariaDB not running"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) if running; then log "MariaDB running on 127.0.0.1:$PORT"; else log "MariaDB not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
