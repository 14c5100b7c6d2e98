#!/usr/bin/env bash
# The benchmark: builds the solution in Release, then runs the load generator (bench/), which starts
# AuthServer and ResourceApi itself (Benchmark environment: Production's settings, plain HTTP on
# 127.0.0.1, fresh SQLite files), loads them and stops them.
#   ./bench.sh                 everything docs/PERFORMANCE.md quotes (about half an hour)
#   ./bench.sh refresh --concurrency 16,64 --duration 10 --runs 3
#   ./bench.sh --help
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build AuthRefresh.sln -c Release -v quiet -nologo >/dev/null
exec dotnet bench/AuthRefresh.Bench/bin/Release/net10.0/AuthRefresh.Bench.dll "$@"
