#!/usr/bin/env bash
# Installs what the tests need when it is missing, then runs every test of the solution.
# Prints one closing line: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v dotnet >/dev/null; then
  echo "The .NET SDK 10 is required (https://dot.net)." >&2
  exit 1
fi

# The end-to-end tests drive Debian's Chromium and the PostgreSQL tests start a throw-away cluster
# with Debian's postgresql (initdb, pg_ctl); install what is missing, in one apt-get.
packages=()
[ -d tests/EndToEnd.Tests ] && [ ! -x /usr/bin/chromium ] && packages+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null || packages+=(postgresql)
if [ ${#packages[@]} -gt 0 ]; then
  echo "Installing ${packages[*]}..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${packages[@]}" >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# A test that hangs for 5 minutes fails with its name, instead of holding CI until its timeout.
dotnet test AuthRefresh.sln -nologo --blame-hang --blame-hang-timeout 5m --blame-hang-dump-type none "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project; add them up.
awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
exit "$status"
