#!/usr/bin/env bash
# netbed.sh — the network layer of Mehfil's NAT test bed.
#
# Builds a tiny, fully isolated "internet" out of Linux network namespaces so
# that browser tests can put each participant behind its own NAT (symmetric
# or endpoint-independent) and check that calls still connect, directly or
# through TURN.  Nothing here ever has a link to the machine's real network:
# the script refuses to run unless the current network namespace is a fresh
# one (only `lo`), e.g. inside `unshare --net --mount`.
#
# Address plan (public addresses come only from the documentation ranges
# 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24; homes use 10.0.N.0/24):
#
#            srv (mehfil-server, turnserver)          pubuser (public, no NAT)
#      eth0 203.0.113.10 (+ .11 for RFC 5780)          eth0 192.0.2.50
#                   |                                        |
#   +---------------+------------ pub: bridge br0 ----------+-------------+
#   | router for the three /24s: 203.0.113.254, 198.51.100.254, 192.0.2.254 |
#   | forwards public<->public only; no default route, so nothing escapes   |
#   +-------+-------------------+-------------------+-----------------+-----+
#           |                   |                   |                 |
#    wan 198.51.100.1    wan 198.51.100.2    wan 198.51.100.3   natbed0 192.0.2.100
#         nat1                nat2                nat3          (outer namespace,
#    lan 10.0.1.1        lan 10.0.2.1        lan 10.0.3.1        the test runner)
#           |                   |                   |
#    home1 10.0.1.2      home2 10.0.2.2      home3 10.0.3.2
#
# Every namespace's default route points into pub, and pub has none, so any
# packet for an address outside the plan dies in pub.  IPv6 is disabled in
# every namespace to keep ICE candidates IPv4-only and predictable.
#
# NAT modes (per router, nftables in natN):
#   symmetric  `masquerade random`: every new 5-tuple gets a random public
#              port, so STUN from one local port to two destinations sees two
#              different mapped ports (address-and-port-dependent mapping).
#   eim        plain `masquerade`: Linux keeps the source port when it is
#              free, so one local port maps to the same public port for every
#              destination (endpoint-independent mapping).
#   Both filter like a port-restricted cone: unsolicited inbound packets are
#   dropped in the router's input chain (which also stops them from creating
#   a conntrack entry that would later steal the mapping a hole punch needs).
#
# Usage (root, inside a private net+mount namespace):
#   unshare --net --mount --pid --fork --kill-child --mount-proc -- \
#       env NETBED_PRIVATE_MOUNT=1 bash -c '
#         bash tests/natbed/netbed.sh up symmetric eim symmetric
#         bash tests/natbed/netbed.sh turn-start
#         ip netns exec home1 ...        # or: netbed.sh exec home1 ...
#         bash tests/natbed/netbed.sh down'
#   or let the script do the unshare and the cleanup:
#   bash tests/natbed/netbed.sh with symmetric eim eim -- node some.test.mjs
#
# Subcommands: up [M1 M2 M3] | down | status | env | exec NS CMD... |
#   flush-nat N | set-nat-mode N MODE | rebind-nat N | turn-start [SECRET] |
#   turn-stop | turn-cred USER [TTL] | with [M1 M2 M3] -- CMD...
# Sourcing the file defines netbed_up, netbed_down, netbed_flush_nat,
# netbed_set_nat_mode, netbed_rebind_nat, netbed_turn_start, netbed_turn_stop,
# netbed_turn_cred, netbed_status and in_ns; each (except in_ns) runs this
# script as a child so that `set -e` behaves the same however it is called.

NETBED_SELF="$(readlink -f "${BASH_SOURCE[0]}")"

# --- the address plan, as variables (also printed by `netbed.sh env`) ------
NETBED_SRV_IP=203.0.113.10        # mehfil-server and turnserver
NETBED_SRV_IP2=203.0.113.11       # second address: RFC 5780 CHANGE-REQUEST
NETBED_PUBUSER_IP=192.0.2.50      # a participant with no NAT at all
NETBED_RUNNER_IP=192.0.2.100      # the outer namespace (test runner)
NETBED_TURN_PORT=3478
NETBED_TURN_REALM=mehfil.test
NETBED_HOMES=3

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: thin wrappers only, so the caller's shell options are untouched.
  netbed_up()           { bash "$NETBED_SELF" up "$@"; }
  netbed_down()         { bash "$NETBED_SELF" down "$@"; }
  netbed_status()       { bash "$NETBED_SELF" status "$@"; }
  netbed_flush_nat()    { bash "$NETBED_SELF" flush-nat "$@"; }
  netbed_set_nat_mode() { bash "$NETBED_SELF" set-nat-mode "$@"; }
  netbed_rebind_nat()   { bash "$NETBED_SELF" rebind-nat "$@"; }
  netbed_turn_start()   { bash "$NETBED_SELF" turn-start "$@"; }
  netbed_turn_stop()    { bash "$NETBED_SELF" turn-stop "$@"; }
  netbed_turn_cred()    { bash "$NETBED_SELF" turn-cred "$@"; }
  in_ns()               { ip netns exec "$@"; }
  return 0
fi

set -euo pipefail

# Runtime state lives on the tmpfs we mount over /run, so it vanishes with
# the private mount namespace.
STATE=/run/natbed
PUBLIC_NETS="192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24"
# Never routable on the public side of the bed (RFC 1918, CGNAT, link-local,
# loopback): a home must not reach another home's LAN except through NAT.
PRIVATE_NETS="0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16"

die() { echo "netbed: $*" >&2; exit 1; }
log() { echo "netbed: $*" >&2; }
ns_list() { echo pub srv pubuser; for n in $(seq 1 "$NETBED_HOMES"); do echo "nat$n home$n"; done; }
ns_exists() { [[ -e "/run/netns/$1" ]]; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# --- safety: refuse to touch a namespace that has a way out ---------------
require_sandbox() {
  [[ $EUID -eq 0 ]] || die "must run as root (inside unshare --net --mount)"
  # A fresh network namespace has only lo (plus our own natbed0 once up).
  local links
  links=$(ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -vx -e lo -e natbed0 || true)
  [[ -z "$links" ]] || die "this network namespace has links (${links//$'\n'/ }); run me inside 'unshare --net --mount' (or use: netbed.sh with ...)"
  # We mount a tmpfs over /run: only ever in a private mount namespace.
  # With --pid --mount-proc, pid 1 is our own ancestor in the same mount
  # namespace, so that case has to be vouched for by NETBED_PRIVATE_MOUNT=1.
  if [[ "$(readlink /proc/self/ns/mnt)" == "$(readlink /proc/1/ns/mnt)" && "${NETBED_PRIVATE_MOUNT:-}" != 1 ]]; then
    die "not in a private mount namespace (use unshare --mount; with --pid --mount-proc also set NETBED_PRIVATE_MOUNT=1)"
  fi
}

# `ip netns add` needs a writable /run/netns that is private to us.
prepare_run() {
  if [[ ! -e /run/.natbed-tmpfs ]]; then
    mount -t tmpfs -o mode=0755 natbed-run /run
    touch /run/.natbed-tmpfs
  fi
  mkdir -p /run/netns "$STATE"
}

ns_sysctl() { nsx "$1" sysctl -qw "$2" >/dev/null; }

new_ns() {
  local ns=$1
  ip netns add "$ns"
  nsx "$ns" ip link set lo up
  # Before any veth exists, so `default` covers them too.
  if nsx "$ns" test -e /proc/sys/net/ipv6; then
    ns_sysctl "$ns" net.ipv6.conf.all.disable_ipv6=1
    ns_sysctl "$ns" net.ipv6.conf.default.disable_ipv6=1
  fi
}

# Plug namespace $1 into pub's bridge as interface $2 with address $3/24.
attach_to_pub() {
  local ns=$1 ifname=$2 addr=$3 gw=$4
  ip link add "to-$ns" netns pub type veth peer name "$ifname" netns "$ns"
  ip -n pub link set "to-$ns" master br0 up
  ip -n "$ns" addr add "$addr/24" dev "$ifname"
  ip -n "$ns" link set "$ifname" up
  ip -n "$ns" route add default via "$gw"
}

gw_for() { # the pub-side gateway of the /24 an address is in
  case $1 in
    203.0.113.*) echo 203.0.113.254 ;;
    198.51.100.*) echo 198.51.100.254 ;;
    192.0.2.*) echo 192.0.2.254 ;;
    *) die "not a public bed address: $1" ;;
  esac
}

build_pub() {
  new_ns pub
  ns_sysctl pub net.ipv4.ip_forward=1
  # pub routes between /24s that share one bridge: no ICMP redirects, so
  # hosts keep sending via the gateway instead of learning shortcuts.
  ns_sysctl pub net.ipv4.conf.all.send_redirects=0
  ns_sysctl pub net.ipv4.conf.default.send_redirects=0
  ip -n pub link add br0 type bridge
  # If br_netfilter is loaded, bridged frames would also go through pub's
  # ip hooks; keep pub's filter about routed traffic only.
  if nsx pub test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
    ns_sysctl pub net.bridge.bridge-nf-call-iptables=0
  fi
  local a
  for a in 203.0.113.254 198.51.100.254 192.0.2.254; do ip -n pub addr add "$a/24" dev br0; done
  ip -n pub link set br0 up
  nsx pub nft -f - <<EOF
table inet natbed {
  set public4 {
    type ipv4_addr
    flags interval
    elements = { $PUBLIC_NETS }
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ip saddr @public4 ip daddr @public4 accept
  }
}
EOF
}

# The nftables ruleset of router natN in the given mode.  Rewritten whole
# (flush ruleset) so a mode change is one atomic transaction.
nat_ruleset() {
  local mode=$1 masq
  case $mode in
    symmetric) masq="masquerade random" ;;
    eim) masq="masquerade" ;;
    *) die "unknown NAT mode '$mode' (symmetric|eim)" ;;
  esac
  cat <<EOF
flush ruleset
table ip natbed {
  set private4 {
    type ipv4_addr
    flags interval
    elements = { $PRIVATE_NETS }
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" $masq
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    ct state invalid drop
    # Out to the public net only; other homes' LANs are not reachable.
    iifname "lan" oifname "wan" ip daddr != @private4 accept
  }
  chain input {
    # Unsolicited packets to the WAN address are dropped here, before their
    # conntrack entry is confirmed, so they cannot occupy a mapping.
    type filter hook input priority filter; policy drop;
    iifname "lo" accept
    iifname "lan" accept
    ct state established,related accept
  }
}
EOF
}

build_home() {
  local n=$1 mode=$2
  new_ns "nat$n"
  ns_sysctl "nat$n" net.ipv4.ip_forward=1
  # rebind-nat adds the new WAN address before deleting the old one; without
  # this, deleting the primary address silently deletes the new one too.
  ns_sysctl "nat$n" net.ipv4.conf.all.promote_secondaries=1
  ns_sysctl "nat$n" net.ipv4.conf.default.promote_secondaries=1
  attach_to_pub "nat$n" wan "198.51.100.$n" 198.51.100.254
  new_ns "home$n"
  ip link add lan netns "nat$n" type veth peer name eth0 netns "home$n"
  ip -n "nat$n" addr add "10.0.$n.1/24" dev lan
  ip -n "nat$n" link set lan up
  ip -n "home$n" addr add "10.0.$n.2/24" dev eth0
  ip -n "home$n" link set eth0 up
  ip -n "home$n" route add default via "10.0.$n.1"
  nat_ruleset "$mode" | nsx "nat$n" nft -f -
  echo "$mode" >"$STATE/nat$n.mode"
}

cmd_up() {
  require_sandbox
  local modes=("$@")
  [[ $# -gt 0 ]] || modes=(symmetric eim symmetric)
  [[ ${#modes[@]} -eq $NETBED_HOMES ]] || die "up needs $NETBED_HOMES NAT modes (symmetric|eim), got: ${modes[*]}"
  local m; for m in "${modes[@]}"; do nat_ruleset "$m" >/dev/null; done
  prepare_run
  if ns_exists pub; then log "already up; tearing down first"; cmd_down; prepare_run; fi
  build_pub
  new_ns srv
  attach_to_pub srv eth0 "$NETBED_SRV_IP" "$(gw_for "$NETBED_SRV_IP")"
  ip -n srv addr add "$NETBED_SRV_IP2/24" dev eth0
  new_ns pubuser
  attach_to_pub pubuser eth0 "$NETBED_PUBUSER_IP" "$(gw_for "$NETBED_PUBUSER_IP")"
  local n
  for n in $(seq 1 "$NETBED_HOMES"); do build_home "$n" "${modes[$((n - 1))]}"; done
  # The outer namespace joins pub too, so the test runner can talk to the
  # server directly.  Routes only to the bed's /24s: no default route.
  ip link add natbed0 type veth peer name to-runner netns pub
  ip -n pub link set to-runner master br0 up
  ip addr add "$NETBED_RUNNER_IP/24" dev natbed0
  ip link set natbed0 up
  ip link set lo up
  ip route add 203.0.113.0/24 via 192.0.2.254
  ip route add 198.51.100.0/24 via 192.0.2.254
  log "up: home1..home$NETBED_HOMES NAT modes ${modes[*]}"
}

# Stop every process living in one of our namespaces (they can only be ones
# the bed or its tests started), then delete the namespaces.
any_alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }

cmd_down() {
  [[ -d /run/netns ]] || return 0
  local ns pids=() all=()
  for ns in $(ns_list); do
    ns_exists "$ns" || continue
    mapfile -t pids < <(ip netns pids "$ns" || true)
    all+=("${pids[@]}")
  done
  if [[ ${#all[@]} -gt 0 ]]; then
    kill -TERM "${all[@]}" 2>/dev/null || true
    for _ in $(seq 20); do
      any_alive "${all[@]}" || break
      sleep 0.1
    done
    kill -KILL "${all[@]}" 2>/dev/null || true
  fi
  for ns in $(ns_list); do ns_exists "$ns" && ip netns del "$ns"; done
  ip link del natbed0 2>/dev/null || true   # normally gone with pub already
  rm -rf "$STATE"
  log "down"
}

check_home() {
  [[ "$1" =~ ^[0-9]+$ && $1 -ge 1 && $1 -le $NETBED_HOMES ]] || die "no such home: $1"
  ns_exists "nat$1" || die "bed is not up"
}

# Forget every NAT binding of router N.  The bindings live in conntrack, not
# in the nft rules, so reloading rules alone changes nothing for running
# flows; conntrack -F makes the next packet of each flow pick a new mapping.
# In `symmetric` mode that is a new random port; in `eim` mode the port is
# preserved again, so the mapping comes back identical (use rebind-nat to
# force a visible change there).  Inbound packets between the flush and the
# home's next outbound packet are dropped as unsolicited.
cmd_flush_nat() {
  check_home "${1:-}"
  nsx "nat$1" conntrack -F >/dev/null 2>&1 || die "conntrack -F failed in nat$1"
  log "nat$1: NAT mappings flushed"
}

cmd_set_nat_mode() {
  check_home "${1:-}"
  nat_ruleset "${2:-}" | nsx "nat$1" nft -f -
  echo "$2" >"$STATE/nat$1.mode"
  log "nat$1: mode $2 (existing mappings kept until flush-nat)"
}

# Give router N a new public address (198.51.100.N <-> 198.51.100.N+100),
# as after a home router reconnects.  Masquerade drops the bindings of the
# old address by itself, so every flow is remapped onto the new address.
cmd_rebind_nat() {
  check_home "${1:-}"
  local n=$1 old new
  old=$(ip -n "nat$n" -4 -o addr show dev wan | awk '{print $4}' | cut -d/ -f1)
  if [[ "$old" == "198.51.100.$n" ]]; then new="198.51.100.$((n + 100))"; else new="198.51.100.$n"; fi
  ip -n "nat$n" addr add "$new/24" dev wan
  ip -n "nat$n" addr del "$old/24" dev wan
  ip -n "nat$n" route replace default via 198.51.100.254
  nsx "nat$n" conntrack -F >/dev/null 2>&1 || true
  log "nat$n: public address $old -> $new"
  echo "$new"
}

cmd_status() {
  local ns
  for ns in $(ns_list); do
    ns_exists "$ns" || { echo "$ns: (absent)"; continue; }
    printf '%-8s %s' "$ns" "$(ip -n "$ns" -4 -o addr show | awk '$2 != "lo" {printf "%s:%s ", $2, $4}')"
    [[ -f "$STATE/$ns.mode" ]] && printf ' mode=%s' "$(cat "$STATE/$ns.mode")"
    echo
  done
  if [[ -f "$STATE/turn/turnserver.pid" ]] && kill -0 "$(cat "$STATE/turn/turnserver.pid")" 2>/dev/null; then
    echo "turnserver: pid $(cat "$STATE/turn/turnserver.pid") on $NETBED_SRV_IP:$NETBED_TURN_PORT"
  fi
}

cmd_env() {
  cat <<EOF
NETBED_SRV_IP=$NETBED_SRV_IP
NETBED_SRV_IP2=$NETBED_SRV_IP2
NETBED_PUBUSER_IP=$NETBED_PUBUSER_IP
NETBED_RUNNER_IP=$NETBED_RUNNER_IP
NETBED_TURN_PORT=$NETBED_TURN_PORT
NETBED_TURN_REALM=$NETBED_TURN_REALM
NETBED_HOMES=$NETBED_HOMES
EOF
  local n; for n in $(seq 1 "$NETBED_HOMES"); do echo "NETBED_HOME${n}_IP=10.0.$n.2"; echo "NETBED_NAT${n}_IP=198.51.100.$n"; done
}

# coturn in srv on the public address; REST-API (use-auth-secret) accounts.
# All settings go into our own config file: without -c, turnserver also
# reads Debian's /etc/turnserver.conf, which turns on syslog and no-rfc5780.
cmd_turn_start() {
  ns_exists srv || die "bed is not up"
  local secret=${1:-${NETBED_TURN_SECRET:-natbed-turn-secret}} dir="$STATE/turn"
  mkdir -p "$dir"
  if [[ -f "$dir/turnserver.pid" ]] && kill -0 "$(cat "$dir/turnserver.pid")" 2>/dev/null; then
    die "turnserver already running (pid $(cat "$dir/turnserver.pid"))"
  fi
  printf '%s' "$secret" >"$dir/secret"
  {
    # Two listening addresses plus the alt port (3479) make RFC 5780 NAT
    # behaviour discovery (CHANGE-REQUEST, OTHER-ADDRESS) work.
    echo "listening-ip=$NETBED_SRV_IP"
    echo "listening-ip=$NETBED_SRV_IP2"
    echo "listening-port=$NETBED_TURN_PORT"
    echo "alt-listening-port=$((NETBED_TURN_PORT + 1))"
    echo "relay-ip=$NETBED_SRV_IP"
    echo "realm=$NETBED_TURN_REALM"
    echo "use-auth-secret"
    echo "static-auth-secret=$secret"
    echo "fingerprint"
    echo "no-cli"
    echo "no-tls"
    echo "no-dtls"
    # Relay only toward public bed addresses.  coturn 4.6 denies loopback
    # peers by default but allows RFC 1918, CGNAT, link-local and the
    # documentation ranges unless told otherwise; the bed's NAT routers and
    # pubuser live in the documentation ranges, so those stay allowed.
    # (No IPv6 range here: coturn matches IPv4 peers against a "::-ffff:..."
    # range too and then forbids everything; with only an IPv4 relay-ip
    # there is no IPv6 relaying anyway.)
    echo "no-multicast-peers"
    local r
    for r in 0.0.0.0-0.255.255.255 10.0.0.0-10.255.255.255 100.64.0.0-100.127.255.255 \
      169.254.0.0-169.254.255.255 172.16.0.0-172.31.255.255 192.168.0.0-192.168.255.255; do
      echo "denied-peer-ip=$r"
    done
    echo "userdb=$dir/turndb"              # not the package's /var/lib database
    echo "pidfile=$dir/coturn.pid"
    echo "log-file=stdout"
    echo "simple-log"
  } >"$dir/turnserver.conf"
  setsid ip netns exec srv turnserver -c "$dir/turnserver.conf" >"$dir/turnserver.log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$dir/turnserver.pid"
  for _ in $(seq 50); do
    if nsx srv ss -Hlnu "sport = :$NETBED_TURN_PORT" | grep -q "$NETBED_SRV_IP:" &&
      nsx srv ss -Hlnt "sport = :$NETBED_TURN_PORT" | grep -q "$NETBED_SRV_IP:"; then
      log "turnserver up (pid $pid), config $dir/turnserver.conf, log $dir/turnserver.log"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$dir/turnserver.log" >&2 || true
  die "turnserver did not start"
}

cmd_turn_stop() {
  local f="$STATE/turn/turnserver.pid" pid
  [[ -f "$f" ]] || return 0
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

# TURN REST API credentials: username "<expiry>:<user>",
# password base64(HMAC-SHA1(secret, username)).  Prints "USERNAME PASSWORD".
cmd_turn_cred() {
  local user=${1:?usage: turn-cred USER [TTL]} ttl=${2:-3600} secret
  secret=${NETBED_TURN_SECRET:-$(cat "$STATE/turn/secret" 2>/dev/null || echo natbed-turn-secret)}
  local username="$(($(date +%s) + ttl)):$user"
  echo "$username $(printf '%s' "$username" | openssl dgst -sha1 -hmac "$secret" -binary | base64)"
}

# Run CMD inside a freshly built bed and tear it down afterwards.  Outside a
# sandbox it first re-executes itself under unshare; the pid namespace makes
# sure every process dies with it, however the run ends.
cmd_with() {
  local modes=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do modes+=("$1"); shift; done
  [[ $# -gt 1 ]] || die "usage: with [MODE1 MODE2 MODE3] -- CMD..."
  shift
  if [[ -n "$(ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -vx -e lo -e natbed0 || true)" ]]; then
    exec unshare --net --mount --pid --fork --kill-child --mount-proc -- \
      env NETBED_PRIVATE_MOUNT=1 bash "$NETBED_SELF" with "${modes[@]}" -- "$@"
  fi
  cmd_up "${modes[@]}"
  trap 'cmd_turn_stop; cmd_down' EXIT
  set -a; eval "$(cmd_env)"; set +a
  local rc=0
  "$@" || rc=$?
  return "$rc"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in
    down | status | flush-nat | set-nat-mode | rebind-nat | turn-start | turn-stop) require_sandbox ;;
  esac
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_turn_stop; cmd_down ;;
    status) cmd_status ;;
    env) cmd_env ;;
    exec) [[ $# -ge 2 ]] || die "usage: exec NS CMD..."; exec ip netns exec "$@" ;;
    flush-nat) cmd_flush_nat "$@" ;;
    set-nat-mode) cmd_set_nat_mode "$@" ;;
    rebind-nat) cmd_rebind_nat "$@" ;;
    turn-start) cmd_turn_start "$@" ;;
    turn-stop) cmd_turn_stop ;;
    turn-cred) cmd_turn_cred "$@" ;;
    with) cmd_with "$@" ;;
    *) sed -n '2,/^$/p' "$NETBED_SELF" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
