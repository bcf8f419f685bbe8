#!/usr/bin/env bash
# Scale figures of issue 11 in one run (docs/performance.md, "Scale"):
#   1. one simulator process, DEVICES devices multiplexed over 8 connections, publishing a backlog as fast as the
#      broker acknowledges: msg/s, CPU-µs per message (simulator and Mosquitto), max RSS, failed;
#   2. the collector host as shipped (its own process, SQLite, alert engine and default rules, AutoRegister on so the
#      simulated fleet is admitted) for each device count: working set idle, after every device has spoken
#      (3 messages per device, one burst), and the GC heap after the last collection (dotnet-counters).
# Every line carries the load average (1 min) at its start and end: the machine is shared.
#   bench/scale.sh                 # 100,000 devices (600,000 messages), collector at 10,000 and 100,000
#   bench/scale.sh --quick         # a few minutes (two builds): about 1,600 devices (smoke)
#   bench/scale.sh --collector     # only part 2 (the collector host at 10,000 and 100,000 devices)
#   SCALE_ENV="DOTNET_gcServer=0" bench/scale.sh   # extra environment for the collector host (GC settings by measurement)
#   SCALE_APS=419 bench/scale.sh --collector        # the collector at one device count (--aps-per-commune: 40 ≈ 10,000, 419 ≈ 100,000)
#   SCALE_GCDUMP=DIR bench/scale.sh --collector     # also a dotnet-gcdump of the collector host per device count, into DIR,
#                                                   # and its 25 largest types (live objects)
# Needs mosquitto, /usr/bin/time and curl; builds the simulator CLI and the collector host (Release) first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
aps=419; sim_count=600000; collector_aps="40 419"
sim_part=1
case "${1:-}" in
  --quick) aps=4; sim_count=20000; collector_aps="4" ;;
  --collector) sim_part=0 ;;
esac
collector_aps=${SCALE_APS:-$collector_aps}
tools=${IOC_TOOLS:-$HOME/.cache/ioc-tools}
[ -x "$tools/dotnet-counters" ] || dotnet tool install dotnet-counters --tool-path "$tools" >/dev/null
dotnet build simulators/Ioc.Simulators.Cli/Ioc.Simulators.Cli.csproj -c Release -v q -nologo >/dev/null
dotnet build collector/Ioc.Collector.Host/Ioc.Collector.Host.csproj -c Release -v q -nologo >/dev/null
sim=$root/simulators/Ioc.Simulators.Cli/bin/Release/net10.0/ioc-sim
host=$root/collector/Ioc.Collector.Host/bin/Release/net10.0/Ioc.Collector.Host.dll
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
rss_mb() { awk '/VmRSS/{print int($2/1024)}' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

broker() {
  local port; port=$(free_port)
  mkdir -p "$work/mq-$port"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nlog_dest none\n' "$port" > "$work/mq-$port/mosquitto.conf"
  /usr/sbin/mosquitto -c "$work/mq-$port/mosquitto.conf" & pids+=($!)
  broker_pid=$!; broker_port=$port
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return; sleep 0.1; done
}

# 1. Simulator throughput.
if [ "$sim_part" = 1 ]; then
broker
l0=$(load); m0=$(cpu_ticks "$broker_pid")
/usr/bin/time -f "%e %U %S %M" -o "$work/sim.time" "$sim" run --port "$broker_port" --mode multiplexed --connections 8 \
  --aps-per-commune "$aps" --backfill 2h --rate 0 --count "$sim_count" -q > "$work/sim.log" 2>&1
m1=$(cpu_ticks "$broker_pid"); l1=$(load)
read -r wall user sys maxrss < "$work/sim.time"
done_line=$(grep 'done:' "$work/sim.log")
devices=$(grep -o '[0-9]* devices' "$work/sim.log" | head -1 | cut -d' ' -f1)
python3 - "$done_line" "$user" "$sys" "$maxrss" "$m0" "$m1" "$sim_count" "$devices" "$l0" "$l1" <<'EOF'
import re, sys
line, user, sys_, maxrss, m0, m1, count, devices, l0, l1 = sys.argv[1:]
rate = re.search(r'\((\d+) msg/s', line).group(1)
failed = re.search(r'(\d+) failed', line).group(1)
count = int(count)
print(f"simulator  {int(devices):,} devices, {count:,} messages: {int(rate):,} msg/s, failed {failed}, "
      f"{(float(user) + float(sys_)) * 1e6 / count:.1f} CPU-µs/msg (whole process, start-up included), "
      f"mosquitto {(int(m1) - int(m0)) * 1e4 / count:.1f} CPU-µs/msg, max RSS {int(maxrss) // 1024} MB, load {l0}→{l1}")
EOF
kill "$broker_pid"
fi

# 2. Collector host memory per device count.
for a in $collector_aps; do
  broker
  d=$work/collector-$a; mkdir -p "$d"; port=$(free_port)
  env Urls="http://127.0.0.1:$port" Ioc__Mqtt__Host=127.0.0.1 Ioc__Mqtt__Port="$broker_port" Ioc__Mqtt__ClientId="scale-$a" \
    Ioc__Storage__Provider=Sqlite Ioc__Storage__Sqlite__Path="$d/ioc.db" Ioc__Collector__SpoolPath="$d/spool" \
    Ioc__Operational__Sqlite__Path="$d/ops.db" Ioc__Devices__AutoRegister=true \
    Ioc__Alerting__CommandToken=scale-bench-command-token Logging__LogLevel__Default=Warning ${SCALE_ENV:-} \
    dotnet "$host" > "$d/host.log" 2>&1 & pids+=($!)
  hp=$!
  for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
  sleep 5
  idle=$(rss_mb "$hp"); l0=$(load)
  devices=$((237 * a + 200)) # about: the fleet has ~237 access points per --aps-per-commune step besides the data centre
  "$sim" run --port "$broker_port" --mode multiplexed --connections 8 --aps-per-commune "$a" --backfill 30m --rate 0 \
    --count $((3 * devices)) -q > "$d/sim.log" 2>&1
  devices=$(grep -o '[0-9]* devices' "$d/sim.log" | head -1 | cut -d' ' -f1)
  prev=-1
  for _ in $(seq 1 300); do
    h=$(curl -s "http://127.0.0.1:$port/healthz")
    acc=$(echo "$h" | grep -o '"accepted": *[0-9]*' | head -1 | tr -dc 0-9)
    q=$(echo "$h" | grep -o '"queueDepth": *[0-9]*' | head -1 | tr -dc 0-9)
    [ "$acc" = "$prev" ] && [ "$q" = "0" ] && break
    prev=$acc; sleep 2
  done
  sleep 25 # HeapTrimService checks every 10 s
  after=$(rss_mb "$hp")
  "$tools/dotnet-counters" collect -p "$hp" --counters System.Runtime --format csv -o "$d/counters.csv" --duration 00:00:04 >/dev/null 2>&1 || true
  heap=$(grep -a "last_collection.heap.size" "$d/counters.csv" | tail -5 | awk -F, '{s+=$NF} END {print int(s/1048576)}')
  if [ -n "${SCALE_GCDUMP:-}" ]; then
    [ -x "$tools/dotnet-gcdump" ] || dotnet tool install dotnet-gcdump --tool-path "$tools" >/dev/null
    mkdir -p "$SCALE_GCDUMP"
    "$tools/dotnet-gcdump" collect -p "$hp" -o "$SCALE_GCDUMP/collector-$devices.gcdump" >/dev/null 2>&1 || true
    "$tools/dotnet-gcdump" report "$SCALE_GCDUMP/collector-$devices.gcdump" 2>/dev/null | head -28 || true
  fi
  echo "collector  ${devices} devices (${acc} messages accepted): working set idle ${idle} MB, after ${after} MB (+$((after - idle)) MB), GC heap after last collection ${heap} MB, load ${l0}→$(load)"
  kill "$hp"
  for _ in $(seq 1 20); do kill -0 "$hp" 2>/dev/null || break; sleep 1; done
  kill -9 "$hp" 2>/dev/null || true
  kill "$broker_pid"
done
