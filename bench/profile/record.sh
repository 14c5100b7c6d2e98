#!/usr/bin/env bash
# Profiles AuthServer under the refresh scenario with perf: starts a refresh run at 16 clients,
# waits until the servers' JIT is idle, records AuthServer for SECONDS, then prints the component
# table docs/PERFORMANCE.md quotes ("component -> µs per refresh").
#   bench/profile/record.sh [OUT] [SECONDS]     (needs Debian's linux-perf; run from the repository)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(realpath -m "${1:-artifacts/profile}"); secs=${2:-15}
mkdir -p "$out"
command -v perf >/dev/null || { echo "perf is required (apt-get install linux-perf)." >&2; exit 1; }
dotnet build AuthRefresh.sln -c Release -v quiet -nologo >/dev/null

# Note: a perf map names the JIT-compiled methods; without W^X the code is not double-mapped.
export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
dotnet bench/AuthRefresh.Bench/bin/Release/net10.0/AuthRefresh.Bench.dll refresh --concurrency 16 \
  --duration $((secs + 12)) --runs 1 --out "$out/bench" > "$out/bench.log" 2>&1 &
bench=$!
until grep -q "JIT was idle\|still busy" "$out/bench.log" 2>/dev/null; do
  kill -0 $bench 2>/dev/null || { cat "$out/bench.log" >&2; exit 1; }
  sleep 1
done
sleep 8
# Note: the benchmark's own AuthServer (Release), not one that ./run.sh or a test left running.
pid=$(pgrep -f "AuthServer/bin/Release/net10.0/AuthServer.dll" | head -1)
perf record -F 1999 -g -p "$pid" -o "$out/perf.data" -- sleep "$secs" >/dev/null 2>&1
wait $bench || true
perf script -i "$out/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null > "$out/perf.txt"
cpu=$(grep -oP 'AuthServer \K[0-9,]+(?= µs)' "$out/bench.log" | head -1 | tr -d ,)
grep -E "^refresh .* 1 " "$out/bench.log" | head -1
python3 bench/profile/components.py "$out/perf.txt" "$cpu"
