# Shared by deploy/local/*: where everything lives, which ports, the app's environment.
# Sourced, not run. Everything this stack writes is under var/deploy/ of the checkout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEPLOY="$ROOT/var/deploy"
PY="$ROOT/.venv/bin/python"
RUN="$DEPLOY/run"     # pid files
LOGS="$DEPLOY/logs"

HTTPS_PORT="${SETU_DEPLOY_HTTPS_PORT:-8443}"
HTTP_PORT="${SETU_DEPLOY_HTTP_PORT:-8080}"
APP_PORTS=(8101 8102)
APP_WORKERS="${SETU_DEPLOY_APP_WORKERS:-3}"
TASK_WORKERS=2
PG_VERSION=15
PG_PORT=5432
REPLICA_CLUSTER=setu_replica
REPLICA_PORT="${SETU_DEPLOY_REPLICA_PORT:-5433}"
DB_NAME="${SETU_DEPLOY_DB:-setu_deploy}"
REDIS_DB="${SETU_DEPLOY_REDIS_DB:-5}"
BASE_URL="https://127.0.0.1:$HTTPS_PORT"

mkdir -p "$DEPLOY" "$RUN" "$LOGS"

# The app as it runs in production: SETU_ENV=prod behind nginx (TLS), PostgreSQL with a replica,
# Redis for cache and sessions, downloads handed to nginx, emails written to files (no SMTP here).
app_env() {
  if [[ ! -s "$DEPLOY/secret_key" ]]; then
    "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$DEPLOY/secret_key"
    chmod 600 "$DEPLOY/secret_key"
  fi
  export SETU_ENV=prod
  SECRET_KEY="$(cat "$DEPLOY/secret_key")"; export SECRET_KEY
  # the key that seals visitors' passport details (docs/inbound.md), made once like the secret
  if [[ ! -s "$DEPLOY/visitor_key" ]]; then
    "$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$DEPLOY/visitor_key"
    chmod 600 "$DEPLOY/visitor_key"
  fi
  SETU_VISITOR_KEYS="$(cat "$DEPLOY/visitor_key")"; export SETU_VISITOR_KEYS
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$HTTPS_PORT,https://localhost:$HTTPS_PORT"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$DB_NAME"
  export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DB_NAME"
  export CONN_MAX_AGE=60
  export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
  export CACHE_KEY_PREFIX=setu-deploy
  export SETU_VAR_DIR="$DEPLOY"
  export SETU_X_ACCEL_REDIRECT_PREFIX=/_protected/
  export SECURE_SSL_REDIRECT=0   # nginx redirects plain HTTP itself
  export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
  export EMAIL_FILE_PATH="$DEPLOY/mail"
  export SETU_BASE_URL="$BASE_URL"
  export LOG_LEVEL="${LOG_LEVEL:-WARNING}"
  export PYTHONPATH="$ROOT"
}

# Management commands that load fictional data refuse SETU_ENV=prod: run them in the dev
# profile against the same database.
manage_dev() {
  (app_env; export SETU_ENV=dev DEBUG=0; unset DATABASE_REPLICA_URL; cd "$ROOT" && "$PY" manage.py "$@")
}

manage() {
  (app_env; cd "$ROOT" && "$PY" manage.py "$@")
}

pid_alive() {  # pid_alive FILE
  [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

psql_main() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
psql_replica() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

apt_ensure() {  # apt_ensure COMMAND PACKAGE: install PACKAGE when COMMAND is missing
  if ! command -v "$1" >/dev/null 2>&1 && [[ ! -x "$1" ]]; then
    echo "installing $2 (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
  fi
}

start_app_server() {  # start_app_server INDEX (0 or 1)
  local port="${APP_PORTS[$1]}" name="app$(( $1 + 1 ))"
  if pid_alive "$RUN/$name.pid"; then return 0; fi
  (
    app_env; cd "$ROOT"
    # --limit-request-line 8190: a search of ~900 Japanese characters fits (see operations.md)
    setsid "$ROOT/.venv/bin/gunicorn" config.wsgi --config "$ROOT/deploy/local/gunicorn.conf.py" \
      --bind "127.0.0.1:$port" --workers "$APP_WORKERS" --timeout 30 --graceful-timeout 10 \
      --limit-request-line 8190 --forwarded-allow-ips 127.0.0.1 \
      --access-logfile "$LOGS/$name.access.log" --error-logfile "$LOGS/$name.error.log" \
      --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(M)sms' \
      --pid "$RUN/$name.pid" >>"$LOGS/$name.out" 2>&1 < /dev/null &
  )
  for _ in $(seq 1 100); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" -H "Host: 127.0.0.1" -H "X-Forwarded-Proto: https" 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "app server $name did not answer on $port; see $LOGS/$name.error.log" >&2
  return 1
}

# SIGKILL the whole app server: its master and its workers (one process group, setsid above).
kill_app_server() {  # kill_app_server INDEX
  local name="app$(( $1 + 1 ))"
  if pid_alive "$RUN/$name.pid"; then
    kill -KILL -- "-$(cat "$RUN/$name.pid")" 2>/dev/null || kill -KILL "$(cat "$RUN/$name.pid")"
  fi
  rm -f "$RUN/$name.pid"
}
