#!/usr/bin/env bash
# selfcheck.sh — proves the NAT test bed behaves as netbed.sh says, with
# small probes only (node nettool.mjs, coturn's turnutils).  Builds its own
# bed (home1 symmetric, home2 eim, home3 symmetric) in a throw-away
# unshare'd namespace, so it can run as root from anywhere:
#   bash tests/natbed/selfcheck.sh
# Ends with the line "N passed, N failed"; exit status 1 if any failed.
# Takes about half a minute; all traffic stays inside the bed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ "${1:-}" != --inside ]]; then
  exec bash "$HERE/netbed.sh" with symmetric eim symmetric -- bash "$HERE/selfcheck.sh" --inside
fi

NETBED=(bash "$HERE/netbed.sh")
TOOL="$HERE/nettool.mjs"
TMP=/run/natbed/selfcheck   # on the bed's private tmpfs
mkdir -p "$TMP"
passed=0 failed=0

check() { # check NAME CMD...: run one check, keep going on failure
  # Not in an `if`: there bash would switch off set -e inside the check.
  local name=$1 rc; shift
  set +e
  (set -e; "$@") >"$TMP/out" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     | /' "$TMP/out" | tail -15
  fi
}
# `! cmd` never trips set -e; a function returning non-zero does.
not() { ! "$@"; }

probe() { local ns=$1; shift; ip netns exec "$ns" node "$TOOL" "$@"; }
ports() { sed -n 's/.*"mapped":"[0-9.]*:\([0-9]*\)".*/\1/p'; }
addrs() { sed -n 's/.*"mapped":"\([0-9.]*\):.*/\1/p'; }
STUN_TARGETS=(203.0.113.10:3478 203.0.113.11:3478 203.0.113.10:3479 203.0.113.11:3479)

# 1. Mapping behaviour seen by STUN from one local port to four endpoints.
symmetric_maps_per_destination() {
  probe home1 stun --port 40000 "${STUN_TARGETS[@]}" | tee "$TMP/m1"
  [[ $(addrs <"$TMP/m1" | sort -u) == 198.51.100.1 ]]
  [[ $(ports <"$TMP/m1" | sort -u | wc -l) -eq 4 ]]
}
eim_maps_once_and_keeps_port() {
  probe home2 stun --port 40000 "${STUN_TARGETS[@]}" | tee "$TMP/m2"
  [[ $(grep -c '"mapped":"198.51.100.2:40000"' "$TMP/m2") -eq 4 ]]
}
pubuser_is_not_natted() {
  probe pubuser stun --port 40000 203.0.113.10:3478 | grep '"mapped":"192.0.2.50:40000"'
}
natdiscovery_agrees() {
  ip netns exec home1 timeout 20 turnutils_natdiscovery -m 203.0.113.10 | grep 'Address and Port Dependent Mapping'
  ip netns exec home2 timeout 20 turnutils_natdiscovery -m -f 203.0.113.10 | tee "$TMP/nd2"
  grep 'Endpoint Independent Mapping' "$TMP/nd2"
  grep 'Address and Port Dependent Filtering' "$TMP/nd2"
}

# 2. TURN with REST credentials.
turn_relays_with_rest_credentials() {
  local u p
  read -r u p < <("${NETBED[@]}" turn-cred alice)
  ip netns exec home1 timeout 30 turnutils_uclient -u "$u" -w "$p" -e 192.0.2.50 -r 3480 -n 10 203.0.113.10 | tee "$TMP/uc"
  grep 'Total lost packets 0 ' "$TMP/uc"
  # The final tally (how many it counts depends on turnutils' client pairing): all sent came back.
  local sent received
  read -r sent received < <(sed -n 's/.*start_mclient: tot_send_msgs=\([0-9]*\), tot_recv_msgs=\([0-9]*\)$/\1 \2/p' "$TMP/uc" | tail -1)
  [[ ${sent:-0} -gt 0 && $sent -eq $received ]]
}
turn_refuses_wrong_password() {
  local u p
  read -r u p < <("${NETBED[@]}" turn-cred alice)
  not ip netns exec home1 timeout 30 turnutils_uclient -u "$u" -w "x$p" -e 192.0.2.50 -n 3 203.0.113.10
}
turn_refuses_expired_credential() {
  local u p
  read -r u p < <("${NETBED[@]}" turn-cred alice -60)
  not ip netns exec home1 timeout 30 turnutils_uclient -u "$u" -w "$p" -e 192.0.2.50 -n 3 203.0.113.10
}
turn_refuses_private_peers() {
  local u p peer
  read -r u p < <("${NETBED[@]}" turn-cred alice)
  for peer in 10.0.2.2 127.0.0.1; do
    not ip netns exec home1 timeout 30 turnutils_uclient -u "$u" -w "$p" -e "$peer" -n 3 203.0.113.10 >"$TMP/uc" 2>&1
    cat "$TMP/uc"
    grep '403 (Forbidden IP)' "$TMP/uc"
  done
}

# 3. Reachability: homes see the public net only through NAT.
home_reaches_server_over_tcp() {
  probe home1 tcp-connect 203.0.113.10:3478 | grep -x connected
}
runner_reaches_server_over_tcp() {
  node "$TOOL" tcp-connect 203.0.113.10:3478 | grep -x connected
}
home_cannot_reach_other_home_lan() {
  not probe home1 tcp-connect 10.0.2.2:3478 --ms 1500 >"$TMP/tcp"
  grep -x timeout "$TMP/tcp"
  probe home2 udp-listen --port 42000 --ms 2000 >"$TMP/l" &
  sleep 0.5
  probe home1 udp-send 10.0.2.2:42000 direct
  wait
  not grep direct "$TMP/l"
}
router_drops_unsolicited_but_passes_punched() {
  # home2 talks to the server only; pubuser's packets to the mapping are dropped
  probe home2 udp-listen --port 41000 --send 203.0.113.10:3478 --ms 2000 >"$TMP/l1" &
  sleep 0.5
  probe pubuser udp-send --port 5000 198.51.100.2:41000 unsolicited
  wait
  not grep unsolicited "$TMP/l1"
  # after home2 sent to pubuser:5001 (a hole punch), pubuser gets through
  probe home2 udp-listen --port 41001 --send 192.0.2.50:5001 --ms 2000 >"$TMP/l2" &
  sleep 0.5
  probe pubuser udp-send --port 5001 198.51.100.2:41001 punched
  wait
  grep punched "$TMP/l2"
}
pub_has_no_way_out() {
  [[ -z "$(ip -n pub route show default)" ]]
  [[ -z "$(ip route show default)" ]]
}

# 4. Mappings of a running UDP flow: flush, rule reload, new address.
mapping_of() { # NS NAT_ACTION...: STUN 6 times from one socket, act after ~1 s
  local ns=$1; shift
  probe "$ns" stun --rounds 6 --gap 400 203.0.113.10:3478 >"$TMP/flow" &
  sleep 1.2
  "$@" >/dev/null
  wait
  cat "$TMP/flow"
  [[ $(grep -c '"mapped":"' "$TMP/flow") -eq 6 ]]
}
flush_remaps_symmetric_flow() {
  mapping_of home1 "${NETBED[@]}" flush-nat 1
  [[ $(ports <"$TMP/flow" | head -1) != $(ports <"$TMP/flow" | tail -1) ]]
}
flush_keeps_eim_port() {
  mapping_of home2 "${NETBED[@]}" flush-nat 2
  [[ $(ports <"$TMP/flow" | sort -u | wc -l) -eq 1 ]]
}
rule_reload_alone_keeps_mapping() {
  mapping_of home1 "${NETBED[@]}" set-nat-mode 1 symmetric
  [[ $(ports <"$TMP/flow" | sort -u | wc -l) -eq 1 ]]
}
rebind_moves_flow_to_new_address() {
  mapping_of home2 "${NETBED[@]}" rebind-nat 2
  [[ $(addrs <"$TMP/flow" | head -1) == 198.51.100.2 ]]
  [[ $(addrs <"$TMP/flow" | tail -1) == 198.51.100.102 ]]
  "${NETBED[@]}" rebind-nat 2 | grep -x 198.51.100.2
}

"${NETBED[@]}" turn-start
ip netns exec pubuser turnutils_peer -L 192.0.2.50 -p 3480 >/dev/null 2>&1 &

for t in symmetric_maps_per_destination eim_maps_once_and_keeps_port pubuser_is_not_natted \
  natdiscovery_agrees turn_relays_with_rest_credentials turn_refuses_wrong_password \
  turn_refuses_expired_credential turn_refuses_private_peers home_reaches_server_over_tcp \
  runner_reaches_server_over_tcp home_cannot_reach_other_home_lan \
  router_drops_unsolicited_but_passes_punched pub_has_no_way_out flush_remaps_symmetric_flow \
  flush_keeps_eim_port rule_reload_alone_keeps_mapping rebind_moves_flow_to_new_address; do
  check "$t" "$t"
done

echo "natbed: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
