# hypothecary prebuilt: DNS
# summary: Resolves a name, through the system resolver or a chosen DNS server, and optionally checks the addresses it resolves to.
# reports: the addresses and how long it took; else NXDOMAIN, SERVFAIL, no address records, resolver timed out or unreachable; with expect, the addresses got against those expected.
# function: hyp_prebuilt_dns
# requires: plugin-api lib/net
# param name: string, required -- the host name to resolve (ASCII; an internationalized name in its xn-- form)
# param expect: list = "" -- addresses the name must resolve to: passes when the answers of each address family listed are exactly these
# param server: string = "" -- a DNS server to ask, IP[:PORT] ([IPv6]:PORT); empty: the system resolver (/etc/hosts, then DNS, as the application resolves)
# param timeout: duration = 5s -- gives up after this long
#
# The system resolver is asked through `getent ahosts` (glibc, musl); without getent, /etc/hosts
# is read, then the nameservers of /etc/resolv.conf are asked with nslookup. A chosen server is
# asked with nslookup (busybox's, or BIND's) for A and AAAA records. getent cannot say why a name
# did not resolve: when nslookup is here too, the nameservers are then asked directly, and their
# answer (NXDOMAIN, SERVFAIL, timeout) is shown under the first line.
# Exits 0 when the name resolves (to the expected addresses), 1 when not, 2 on a parameter it
# cannot use.

# hyp_prebuilt_dns: resolves hyp_arg_name (see the header). Prints one line, for example
#   DNS api.internal: resolves to 10.0.3.7 in 2 ms (system resolver)
#   DNS api.internal: NXDOMAIN, no such name (server 10.96.0.10)
# shellcheck disable=SC2154,SC2162 # hyp_net_* results are set by lib/net; read: see lib/net
hyp_prebuilt_dns() {
  _hyp_prebuilt_dns_name=${hyp_arg_name-}
  _hyp_prebuilt_dns_server=${hyp_arg_server-}
  _hyp_prebuilt_dns_timeout=${hyp_arg_timeout:-5}
  # The compiler validates the parameters; these checks are for a runner edited by hand and for
  # what a schema cannot say.
  case $_hyp_prebuilt_dns_name in
    '' | -* | .* | *..* | *[!A-Za-z0-9._-]*)
      printf 'DNS "%s": not a host name (letters, digits, dots, - and _; an internationalized name in its xn-- form)\n' "$_hyp_prebuilt_dns_name"
      return 2
      ;;
  esac
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_dns_timeout"; then
    printf 'DNS %s: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_dns_name" "$_hyp_prebuilt_dns_timeout"
    return 2
  fi
  _hyp_prebuilt_dns_secs=$hyp_net_secs
  # The expected addresses, one per line, lower case, in $HYP_PLUGIN_DIR/dns-expect; commas and
  # blanks separate them too.
  printf '%s\n' "${hyp_arg_expect-}" | awk '
    { gsub(/,/, " "); for (i = 1; i <= NF; i++) { a = tolower($i); if (a !~ /^([0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*)$/) { print a >"/dev/stderr"; bad = 1 } else if (!(a in seen)) { seen[a] = 1; print a } } }
    END { exit bad }
  ' >"$HYP_PLUGIN_DIR/dns-expect" 2>"$HYP_PLUGIN_DIR/dns-expect-bad"
  if [ -s "$HYP_PLUGIN_DIR/dns-expect-bad" ]; then
    printf 'DNS %s: expect holds something that is not an IPv4 or IPv6 address: ' "$_hyp_prebuilt_dns_name"
    awk 'NR == 1 { printf "%s\n", $0 }' "$HYP_PLUGIN_DIR/dns-expect-bad"
    return 2
  fi
  # The server: HOST, HOST:PORT, [IPV6]:PORT or a bare IPv6 address.
  _hyp_prebuilt_dns_port=53
  _hyp_prebuilt_dns_host=$_hyp_prebuilt_dns_server
  case $_hyp_prebuilt_dns_server in
    \[*\]) _hyp_prebuilt_dns_host=${_hyp_prebuilt_dns_server#\[} _hyp_prebuilt_dns_host=${_hyp_prebuilt_dns_host%\]} ;;
    \[*\]:*)
      _hyp_prebuilt_dns_host=${_hyp_prebuilt_dns_server#\[}
      _hyp_prebuilt_dns_host=${_hyp_prebuilt_dns_host%%\]*}
      _hyp_prebuilt_dns_port=${_hyp_prebuilt_dns_server##*\]:}
      ;;
    *:*:*) ;;
    *:*)
      _hyp_prebuilt_dns_host=${_hyp_prebuilt_dns_server%:*}
      _hyp_prebuilt_dns_port=${_hyp_prebuilt_dns_server##*:}
      ;;
  esac
  case $_hyp_prebuilt_dns_port in
    '' | *[!0-9]* | 0*) _hyp_prebuilt_dns_port=0 ;;
  esac
  case $_hyp_prebuilt_dns_host in
    -* | *[!A-Za-z0-9.:_-]*) _hyp_prebuilt_dns_port=0 ;;
  esac
  if [ -n "$_hyp_prebuilt_dns_server" ] && { [ -z "$_hyp_prebuilt_dns_host" ] ||
    [ "$_hyp_prebuilt_dns_port" -lt 1 ] || [ "$_hyp_prebuilt_dns_port" -gt 65535 ]; }; then
    printf 'DNS %s: server "%s" is not IP, IP:PORT or [IPv6]:PORT\n' "$_hyp_prebuilt_dns_name" "$_hyp_prebuilt_dns_server"
    return 2
  fi

  # What can ask: getent for the system resolver; nslookup for a chosen server (and for the
  # nameservers of resolv.conf). busybox's nslookup takes -port, -timeout and -retry only in its
  # full version (busybox 1.28 and later, the default build), whose usage names QUERY_TYPE.
  _hyp_prebuilt_dns_ns=
  if hyp_have busybox && busybox nslookup --help 2>&1 | awk '/QUERY_TYPE/ { f = 1 } END { exit !f }'; then
    _hyp_prebuilt_dns_ns=busybox
  elif hyp_have nslookup; then
    _hyp_prebuilt_dns_ns=nslookup
  fi

  hyp_now_ms
  _hyp_prebuilt_dns_t0=$hyp_ms
  if [ -n "$_hyp_prebuilt_dns_server" ]; then
    [ -n "$_hyp_prebuilt_dns_ns" ] ||
      hyp_skip "no tool here can ask a chosen DNS server (looked for busybox nslookup and nslookup)"
    case $_hyp_prebuilt_dns_server in
      *:*) _hyp_prebuilt_dns_source="server $_hyp_prebuilt_dns_server" ;;
      *) _hyp_prebuilt_dns_source="server $_hyp_prebuilt_dns_host" ;;
    esac
    hyp_dns_nslookup "$_hyp_prebuilt_dns_ns" "$_hyp_prebuilt_dns_name" "$_hyp_prebuilt_dns_secs" \
      "$_hyp_prebuilt_dns_host" "$_hyp_prebuilt_dns_port"
  elif hyp_have getent; then
    _hyp_prebuilt_dns_source="system resolver"
    hyp_net_run "$_hyp_prebuilt_dns_secs" "$HYP_PLUGIN_DIR/dns-out" "$HYP_PLUGIN_DIR/dns-err" \
      getent ahosts "$_hyp_prebuilt_dns_name"
    # getent ahosts: "ADDRESS STREAM CANONICAL-NAME", then the same address for DGRAM and RAW.
    awk -v rc="$hyp_net_rc" -v timedout="$hyp_net_timed_out" -v name="$_hyp_prebuilt_dns_name" '
      $1 ~ /^([0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)$/ {
        a = tolower($1)
        if (!(a in seen)) { seen[a] = 1; addrs = addrs (addrs == "" ? "" : " ") a }
        if (canon == "" && NF >= 3) canon = $3
      }
      END {
        if (canon != "" && tolower(canon) == tolower(name)) canon = ""
        if (timedout == 1) print "timeout"
        else if (addrs != "") print "ok"
        else if (rc == 2) print "noname"
        else print "error"
        print addrs; print canon; print "getent exited with status " rc
      }
    ' "$HYP_PLUGIN_DIR/dns-out" >"$HYP_PLUGIN_DIR/dns-result"
  elif [ -n "$_hyp_prebuilt_dns_ns" ] || [ -r /etc/hosts ]; then
    # No getent: the resolver's own order, /etc/hosts first, then the nameservers.
    _hyp_prebuilt_dns_source=/etc/hosts
    if [ -r /etc/hosts ]; then
      awk -v name="$_hyp_prebuilt_dns_name" '
        BEGIN { name = tolower(name); sub(/\.$/, "", name) }
        { sub(/#.*/, "") }
        NF >= 2 {
          for (i = 2; i <= NF; i++) if (tolower($i) == name) {
            a = tolower($1)
            if (!(a in seen)) { seen[a] = 1; addrs = addrs (addrs == "" ? "" : " ") a }
          }
        }
        END { print (addrs != "" ? "ok" : "noname"); print addrs; print ""; print "" }
      ' /etc/hosts >"$HYP_PLUGIN_DIR/dns-result"
    else
      printf 'noname\n\n\n\n' >"$HYP_PLUGIN_DIR/dns-result"
    fi
    if awk 'NR == 1 { exit $0 != "ok" }' "$HYP_PLUGIN_DIR/dns-result"; then :; elif [ -n "$_hyp_prebuilt_dns_ns" ]; then
      _hyp_prebuilt_dns_source="nameservers of /etc/resolv.conf"
      hyp_dns_nslookup "$_hyp_prebuilt_dns_ns" "$_hyp_prebuilt_dns_name" "$_hyp_prebuilt_dns_secs" "" ""
    else
      hyp_skip "$_hyp_prebuilt_dns_name is not in /etc/hosts, and no tool here can ask DNS (looked for getent, busybox nslookup and nslookup)"
    fi
  else
    hyp_skip "no tool here can resolve a name (looked for getent, busybox nslookup and nslookup)"
  fi
  hyp_now_ms
  _hyp_prebuilt_dns_ms=$((hyp_ms - _hyp_prebuilt_dns_t0))

  {
    read _hyp_prebuilt_dns_outcome
    read _hyp_prebuilt_dns_addrs
    read _hyp_prebuilt_dns_cname
  } <"$HYP_PLUGIN_DIR/dns-result"
  printf 'DNS %s: ' "$_hyp_prebuilt_dns_name"
  case $_hyp_prebuilt_dns_outcome in
    ok) ;;
    noname)
      printf 'does not resolve (%s)\n' "$_hyp_prebuilt_dns_source"
      # getent cannot say why: ask the nameservers, when a tool here can.
      if [ "$_hyp_prebuilt_dns_source" = "system resolver" ] && [ -n "$_hyp_prebuilt_dns_ns" ]; then
        hyp_dns_nslookup "$_hyp_prebuilt_dns_ns" "$_hyp_prebuilt_dns_name" "$_hyp_prebuilt_dns_secs" "" ""
        printf 'nameservers of /etc/resolv.conf: '
        hyp_dns_say "$_hyp_prebuilt_dns_secs"
        printf '\n'
      fi
      return 1
      ;;
    *)
      hyp_dns_say "$_hyp_prebuilt_dns_secs"
      printf ' (%s)\n' "$_hyp_prebuilt_dns_source"
      return 1
      ;;
  esac

  # Resolved: compare with the expected addresses, family by family.
  printf '%s\n' "$_hyp_prebuilt_dns_addrs" | awk -v expfile="$HYP_PLUGIN_DIR/dns-expect" '
    function fam(a) { return index(a, ":") ? 6 : 4 }
    BEGIN {
      while ((getline a <expfile) > 0) if (a != "") { want[a] = 1; fams[fam(a)] = 1; n++ }
    }
    {
      for (i = 1; i <= NF; i++) {
        if (!(fam($i) in fams)) continue
        got[$i] = 1
        if (!($i in want)) extra = extra (extra == "" ? "" : ", ") $i
      }
    }
    END {
      if (!n) exit 0
      for (a in want) if (!(a in got)) missing = missing (missing == "" ? "" : ", ") a
      if (missing == "" && extra == "") exit 0
      if (missing != "") print "missing: " missing
      if (extra != "") print "unexpected: " extra
      exit 1
    }
  ' >"$HYP_PLUGIN_DIR/dns-diff"
  _hyp_prebuilt_dns_match=$?
  printf 'resolves to '
  printf '%s\n' "$_hyp_prebuilt_dns_addrs" | awk '{ for (i = 1; i <= NF; i++) printf "%s%s", (i > 1 ? ", " : ""), $i }'
  [ -n "$_hyp_prebuilt_dns_cname" ] && printf ' (CNAME %s)' "$_hyp_prebuilt_dns_cname"
  if [ "$_hyp_prebuilt_dns_match" -ne 0 ]; then
    printf ', not to the expected '
    awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $0 }' "$HYP_PLUGIN_DIR/dns-expect"
    printf ' (%s)\n' "$_hyp_prebuilt_dns_source"
    awk '{ print }' "$HYP_PLUGIN_DIR/dns-diff"
    return 1
  fi
  printf ' in %s ms (%s)\n' "$_hyp_prebuilt_dns_ms" "$_hyp_prebuilt_dns_source"
  return 0
}

# hyp_dns_nslookup TOOL NAME SECS HOST PORT: asks HOST:PORT (empty: the nameservers of
# /etc/resolv.conf) for NAME's A and AAAA records with TOOL (busybox: `busybox nslookup`;
# nslookup: the one on PATH, BIND's takes the same options), waiting SECS seconds at most.
# Writes $HYP_PLUGIN_DIR/dns-result: the outcome (ok, nxdomain, servfail, refused, nodata,
# timeout, unreachable, error), the addresses (space-separated), the canonical name when a CNAME
# led there, and a message for the others.
hyp_dns_nslookup() {
  if [ "$1" = busybox ]; then set -- "$2" "$3" "$4" "$5" busybox nslookup; else set -- "$2" "$3" "$4" "$5" nslookup; fi
  _hyp_dns_nslookup_name=$1 _hyp_dns_nslookup_secs=$2 _hyp_dns_nslookup_host=$3 _hyp_dns_nslookup_port=$4
  shift 4
  set -- "$@" -timeout="$_hyp_dns_nslookup_secs" -retry=1
  [ -n "$_hyp_dns_nslookup_host" ] && set -- "$@" -port="$_hyp_dns_nslookup_port"
  set -- "$@" "$_hyp_dns_nslookup_name"
  [ -n "$_hyp_dns_nslookup_host" ] && set -- "$@" "$_hyp_dns_nslookup_host"
  # One second more than the tool's own timeout, so that it can say what happened itself.
  hyp_net_run "$((_hyp_dns_nslookup_secs + 1))" "$HYP_PLUGIN_DIR/dns-out" "$HYP_PLUGIN_DIR/dns-err" "$@"
  # Both print "Server:" and "Address:" lines for the server first, then "Name:" and
  # "Address:" lines for each answer, "NAME canonical name = TARGET" for a CNAME, and
  # "** server can't find NAME: NXDOMAIN" (or SERVFAIL, REFUSED) when there is none.
  awk -v timedout="$hyp_net_timed_out" -v rc="$hyp_net_rc" '
    { sub(/\r$/, "") }
    /^Server:/ { answers = 0; next }
    /^Name:/ { answers = 1; next }
    /^Address( [0-9]+)?:/ {
      if (!answers) next
      a = $0; sub(/^Address( [0-9]+)?:[ \t]*/, "", a); sub(/[ \t].*/, "", a); sub(/#.*/, "", a); a = tolower(a)
      if (a ~ /^([0-9.]+|[0-9a-f:.]*:[0-9a-f:.]*)$/ && !(a in seen)) { seen[a] = 1; addrs = addrs (addrs == "" ? "" : " ") a }
      next
    }
    /canonical name = / { canon = $NF; sub(/\.$/, "", canon); next }
    { l = tolower($0) }
    l ~ /nxdomain/ { nx = 1 }
    l ~ /servfail/ { sf = 1 }
    l ~ /refused/ && l !~ /connection refused/ { rf = 1 }
    l ~ /no answer/ { nodata = 1 }
    l ~ /connection refused/ { unreach = "connection refused" }
    l ~ /network is unreachable|network unreachable/ { unreach = "network is unreachable" }
    l ~ /no route to host|host is unreachable/ { unreach = "no route to host" }
    l ~ /timed out|no servers could be reached/ { to = 1 }
    l !~ /^[ \t]*$/ { last = $0 }
    END {
      if (addrs != "") kind = "ok"
      else if (nx) kind = "nxdomain"
      else if (sf) kind = "servfail"
      else if (rf) kind = "refused"
      else if (unreach != "") { kind = "unreachable"; msg = unreach }
      else if (to || timedout == 1) kind = "timeout"
      # busybox says nothing at all for an answer without records: only its status tells.
      else if (nodata || rc == 0) kind = "nodata"
      else { kind = "error"; msg = last != "" ? last : "nslookup exited with status " rc }
      gsub(/[[:cntrl:]]/, " ", msg)
      if (length(msg) > 200) msg = substr(msg, 1, 200) "..."
      print kind; print addrs; print canon; print msg
    }
  ' "$HYP_PLUGIN_DIR/dns-out" "$HYP_PLUGIN_DIR/dns-err" >"$HYP_PLUGIN_DIR/dns-result"
}

# hyp_dns_say SECS: prints, with no newline, what the outcome in dns-result means.
hyp_dns_say() {
  awk -v t="$1" '
    NR == 1 { kind = $0 }
    NR == 4 { msg = $0 }
    END {
      if (kind == "ok") printf "resolves"
      else if (kind == "nxdomain") printf "NXDOMAIN, no such name"
      else if (kind == "servfail") printf "SERVFAIL, the server could not get an answer"
      else if (kind == "refused") printf "REFUSED, the server will not answer this query"
      else if (kind == "nodata") printf "no address: the name exists but has no A or AAAA record"
      else if (kind == "timeout") printf "no answer, the resolver timed out after %ss", t
      else if (kind == "unreachable") printf "resolver unreachable: %s", msg
      else if (kind == "noname") printf "does not resolve"
      else printf "error: %s", msg
    }
  ' "$HYP_PLUGIN_DIR/dns-result"
}
