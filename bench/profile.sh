#!/usr/bin/env bash
# Profiles the collector host while the peer bench runs it: attaches dotnet-trace (CPU sampling) to the collector
# process whose InfluxDB database is $1 ("drain": the drain from persistent sessions; "live": the live run) for $2 seconds,
# then prints the top methods. The bench itself is started by this script with the remaining arguments.
#   bench/profile.sh drain 8 peer --messages 20000 --drain 300000 --runs 1
# dotnet-trace and dotnet-counters are installed as dotnet tools into ~/.cache/ioc-tools on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
database=$1; seconds=$2; shift 2
tools=${IOC_TOOLS:-$HOME/.cache/ioc-tools}
[ -x "$tools/dotnet-trace" ] || dotnet tool install dotnet-trace --tool-path "$tools" >/dev/null
[ -x "$tools/dotnet-counters" ] || dotnet tool install dotnet-counters --tool-path "$tools" >/dev/null
out=${IOC_PROFILE_OUT:-artifacts/profile}
mkdir -p "$out"
dotnet bench/Ioc.Bench/bin/Release/net10.0/Ioc.Bench.dll "$@" > "$out/bench.txt" 2>&1 &
bench=$!
pid=""
while [ -z "$pid" ] && kill -0 "$bench" 2>/dev/null; do
  for p in $(pgrep -f Ioc.Collector.Host.dll || true); do
    if tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null | grep -qx "Ioc__Storage__InfluxDB__Database=$database"; then pid=$p; fi
  done
  sleep 0.05
done
[ -n "$pid" ] || { echo "no collector with database $database"; cat "$out/bench.txt"; exit 1; }
trace="$out/collector-$database.nettrace"
"$tools/dotnet-trace" collect -p "$pid" --profile dotnet-sampled-thread-time --duration "00:00:$(printf %02d "$seconds")" -o "$trace" > "$out/trace.log" 2>&1 || "$tools/dotnet-trace" collect -p "$pid" --profile cpu-sampling --duration "00:00:$(printf %02d "$seconds")" -o "$trace" >> "$out/trace.log" 2>&1
wait "$bench" || true
cat "$out/bench.txt"
"$tools/dotnet-trace" report "$trace" topN -n 40 --inclusive 2>/dev/null | head -60 || true
"$tools/dotnet-trace" report "$trace" topN -n 40 | head -60
