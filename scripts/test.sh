#!/usr/bin/env bash
# Runs every test of Ioc. Installs what the integration and browser tests need (Debian packages: Mosquitto,
# InfluxDB 1.x, PostgreSQL 15, Chromium, poppler-utils, docker-compose for validating the compose file, net-snmp's snmp, snmpd and
# snmptrapd, logger and openssl for the syslog and SNMP tests) when it is missing, then builds and
# runs the whole solution. Ends with one line: "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
[ -x /usr/bin/mosquitto_pub ] || need+=(mosquitto-clients)
[ -x /usr/bin/influxd ] || need+=(influxdb)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
[ -x /usr/bin/psql ] || need+=(postgresql-client-15)
[ -x /usr/bin/chromium ] || need+=(chromium)
# The monthly report's PDF tests read the printed PDF back with poppler's pdftotext.
[ -x /usr/bin/pdftotext ] || need+=(poppler-utils)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# Syslog and SNMP ingress tests: real senders (logger, openssl s_client), net-snmp's agent, tools and trap receiver.
[ -x /usr/bin/logger ] || need+=(bsdutils)
[ -x /usr/bin/openssl ] || need+=(openssl)
[ -x /usr/bin/snmpget ] || need+=(snmp)
[ -x /usr/sbin/snmpd ] || need+=(snmpd)
[ -x /usr/sbin/snmptrapd ] || need+=(snmptrapd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing missing packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# Build everything first: some tests run other projects' builds as processes (the hosts, the bench smoke).
dotnet build Ioc.sln -c Release -v q 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
  dotnet test Ioc.sln -c Release --no-build --logger "console;verbosity=minimal" 2>&1 | tee -a "$log"
  status=${PIPESTATUS[0]}
fi
set -e

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
