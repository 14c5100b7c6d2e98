#!/usr/bin/env bash
# Builds the solution once and starts AuthServer (8001), ResourceApi (8002) and SampleClient (8000)
# on 127.0.0.1 with Development settings (SQLite files under each app's data/ folder, demo users).
# Ctrl+C stops all three.
#
# ./run.sh --postgres: the same on PostgreSQL, each app in its own database. With
# AUTHREFRESH_POSTGRES set (a connection string without Database, for example
# "Host=127.0.0.1;Port=5432;Username=me;Password=secret") on that server; without it on a cluster
# of its own in data/postgres (Debian's postgresql package; initdb on the first run), on port 5433,
# stopped with the apps.
set -euo pipefail
cd "$(dirname "$0")"

export ASPNETCORE_ENVIRONMENT=Development
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

postgres=false
case "${1:-}" in
  "") ;;
  --postgres) postgres=true ;;
  *) echo "Usage: $0 [--postgres]" >&2; exit 2 ;;
esac

echo "Building..."
dotnet build AuthRefresh.sln -c Debug -v quiet -nologo

pids=()
cluster=""
stop() {
  trap - EXIT
  trap '' INT TERM # a second signal must not cut the clean-up short
  echo
  echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ -n "$cluster" ]; then pg pg_ctl -D "$cluster" -m fast -w stop >/dev/null || true; fi
}
trap stop EXIT INT TERM

pg() { # tool args...: a PostgreSQL tool, as the postgres user when run as root (initdb refuses root)
  local tool=$1; shift
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ]; then
    echo "PostgreSQL is not installed: apt-get install postgresql, or set AUTHREFRESH_POSTGRES" >&2
    return 1
  fi
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/$tool" "$@"; else "$bin/$tool" "$@"; fi
}

if $postgres; then
  server=${AUTHREFRESH_POSTGRES:-}
  if [ -z "$server" ]; then
    cluster=$PWD/data/postgres
    if [ ! -f "$cluster/PG_VERSION" ]; then
      echo "Creating a PostgreSQL cluster in $cluster..."
      mkdir -p "$cluster"
      if [ "$(id -u)" = 0 ]; then chown postgres "$cluster"; fi
      pg initdb -D "$cluster" -U authrefresh --auth=trust -E UTF8 --locale=C >/dev/null
    fi
    pg pg_ctl -D "$cluster" -l "$cluster/log" -o "-p 5433 -k /tmp -c listen_addresses=127.0.0.1" -w start >/dev/null
    server="Host=127.0.0.1;Port=5433;Username=authrefresh"
  fi
  # Each app creates its database when it is missing and migrates it at start.
  export Database__Provider=PostgreSql
  export ConnectionStrings__AuthServer="$server;Database=authrefresh_authserver"
  export ConnectionStrings__ResourceApi="$server;Database=authrefresh_resourceapi"
  export ConnectionStrings__SampleClient="$server;Database=authrefresh_sampleclient"
fi

start() { # name port
  local name=$1 port=$2
  # Each app runs from its own folder, so that its appsettings and data/ folder are found.
  (cd "$name" && exec dotnet "bin/Debug/net10.0/$name.dll" --urls "http://127.0.0.1:$port") &
  pids+=($!)
}

wait_for() { # name port
  local name=$1 port=$2
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/health"; then
      echo "  $name is up on http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.5
  done
  echo "  $name did not answer on port $port within 60 s" >&2
  return 1
}

start AuthServer 8001
wait_for AuthServer 8001
start ResourceApi 8002
start SampleClient 8000
wait_for ResourceApi 8002
wait_for SampleClient 8000

cat <<'INFO'

AuthRefresh is running (Development):
  SampleClient  http://127.0.0.1:8000
  AuthServer    http://127.0.0.1:8001   (discovery: /.well-known/openid-configuration)
  Admin area    http://127.0.0.1:8001/admin   (sign in as admin)
  ResourceApi   http://127.0.0.1:8002   (API page: /scalar)
Demo users: alice / Pass123$ (User), admin / Admin123$ (Admin)
Press Ctrl+C to stop.
INFO

wait -n "${pids[@]}"
