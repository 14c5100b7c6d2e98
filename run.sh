#!/usr/bin/env bash
# Builds the solution once and starts AuthServer (8001), ResourceApi (8002) and SampleClient (8000)
# on 127.0.0.1 with Development settings (SQLite files under each app's data/ folder, demo users).
# Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")"

export ASPNETCORE_ENVIRONMENT=Development
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "Building..."
dotnet build AuthRefresh.sln -c Debug -v quiet -nologo

pids=()
stop() {
  trap - EXIT INT TERM
  echo
  echo "Stopping..."
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

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
  ResourceApi   http://127.0.0.1:8002
Demo users: alice / Pass123$ (User), admin / Admin123$ (Admin)
Press Ctrl+C to stop.
INFO

wait -n "${pids[@]}"
