#!/bin/sh
# The SNMP face of a simulated UPS and PDU: a net-snmp `pass` script that answers UPS-MIB (RFC 1628) and APC PowerNet
# rPDULoadStatusLoad from a state file beside it (state: shell assignments, rewritten by whoever plays the device):
#
#   pass .1.3.6.1.2.1.33 /path/ups-pdu-pass.sh
#   pass .1.3.6.1.4.1.318 /path/ups-pdu-pass.sh
#
# snmpd calls it with "-g OID" (get) or "-n OID" (get-next); it prints OID, type and value, or nothing.
STATUS=2 SECONDS=0 RUNTIME=42 CHARGE=100 TEMP=24 VIN=229 SOURCE=3 VOUT=230 LOAD=35 PDU_LOAD=64
state="$(dirname "$0")/state"
[ -r "$state" ] && . "$state"

table() {
  cat <<T
.1.3.6.1.2.1.33.1.2.1.0 integer $STATUS
.1.3.6.1.2.1.33.1.2.2.0 integer $SECONDS
.1.3.6.1.2.1.33.1.2.3.0 integer $RUNTIME
.1.3.6.1.2.1.33.1.2.4.0 integer $CHARGE
.1.3.6.1.2.1.33.1.2.7.0 integer $TEMP
.1.3.6.1.2.1.33.1.3.3.1.3.1 integer $VIN
.1.3.6.1.2.1.33.1.4.1.0 integer $SOURCE
.1.3.6.1.2.1.33.1.4.4.1.2.1 integer $VOUT
.1.3.6.1.2.1.33.1.4.4.1.5.1 integer $LOAD
.1.3.6.1.4.1.318.1.1.12.2.3.1.1.2.1 gauge $PDU_LOAD
T
}

case "$1" in
  -g) table | awk -v want="$2" '$1 == want { print $1; print $2; print $3; exit }' ;;
  -n) table | awk -v want="$2" '
        function after(a, b,   x, y, n, m, i) {
          n = split(a, x, "."); m = split(b, y, ".")
          for (i = 2; i <= n && i <= m; i++) { if (x[i] + 0 > y[i] + 0) return 1; if (x[i] + 0 < y[i] + 0) return 0 }
          return n > m
        }
        function root(o,   x) { split(o, x, "."); return x[2] "." x[3] "." x[4] "." x[5] "." x[6] "." x[7] "." x[8] }
        root($1) == root(want) && after($1, want) { print $1; print $2; print $3; exit }' ;;
esac
exit 0
