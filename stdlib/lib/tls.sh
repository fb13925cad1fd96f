# hypothecary runtime: lib/tls
# requires: plugin-api lib/net lib/time
# What the TLS-minded prebuilts share (TLS-CERT, K8S-API), all through the openssl command:
#   - hyp_tls_fetch: a TLS handshake bounded in time, keeping the certificates the peer sent
#   - hyp_tls_split: the certificates of a PEM file, as leaf and chain
#   - hyp_tls_inspect, hyp_tls_check_name, hyp_tls_verify: what a certificate says, whether it
#     is for a name, whether its chain verifies
#   - hyp_tls_now: epoch seconds, from `date -u` fields and lib/time (`date +%s` is not POSIX)
# Results come back in globals named hyp_tls_*. What openssl prints lands in files named
# $HYP_PLUGIN_DIR/tls-* and is read by awk; certificate text never sits in a shell variable.
# shellcheck disable=SC2154 # hyp_time_awk is lib/time's

# hyp_tls_now: sets hyp_tls_now to the current time in seconds since 1970 (UTC), from
# `date -u` fields (POSIX) and awk arithmetic; 0 when date fails.
# shellcheck disable=SC2034,SC2162 # result for the prebuilts; read: see lib/net
hyp_tls_now() {
  date -u '+%Y %m %d %H %M %S' 2>/dev/null | awk "$hyp_time_awk"'
    NF == 6 { printf "%.0f\n", hyp_epoch($1, $2, $3, $4, $5, $6); done = 1 }
    END { if (!done) print 0 }' >"$HYP_PLUGIN_DIR/tls-now"
  read hyp_tls_now <"$HYP_PLUGIN_DIR/tls-now" || hyp_tls_now=0
}

# hyp_tls_split FILE: writes the first certificate of the PEM file FILE to
# $HYP_PLUGIN_DIR/tls-leaf.pem and the others (the chain) to $HYP_PLUGIN_DIR/tls-chain.pem;
# anything else in FILE (keys, text) is left out. Sets hyp_tls_certs to how many it found.
# shellcheck disable=SC2034,SC2162 # result for the prebuilts; read: see lib/net
hyp_tls_split() {
  awk -v leaf="$HYP_PLUGIN_DIR/tls-leaf.pem" -v chain="$HYP_PLUGIN_DIR/tls-chain.pem" '
    BEGIN { printf "" >leaf; printf "" >chain; n = 0 }
    { sub(/\r$/, "") }
    /^-----BEGIN CERTIFICATE-----$/ { inside = 1; n++ }
    inside { if (n == 1) print >leaf; else print >chain }
    /^-----END CERTIFICATE-----$/ { inside = 0 }
    END { print n >"/dev/stdout" }
  ' "$1" >"$HYP_PLUGIN_DIR/tls-count" 2>/dev/null
  read hyp_tls_certs <"$HYP_PLUGIN_DIR/tls-count" || hyp_tls_certs=0
  case $hyp_tls_certs in
    '' | *[!0-9]*) hyp_tls_certs=0 ;;
  esac
}

# hyp_tls_fetch HOST PORT SERVERNAME TIMEOUT: a TLS handshake with HOST:PORT (SERVERNAME as
# SNI when it is a name, not an address), by `openssl s_client -showcerts`, killed after TIMEOUT
# seconds (decimals allowed). The peer's certificates land in tls-leaf.pem and tls-chain.pem
# (hyp_tls_split). Sets hyp_tls_stage: ok (a certificate came), dns, refused, unreachable,
# timeout (hyp_tls_connected says whether TCP had connected), nottls (something answered, not
# in TLS), handshake (TLS failed: an alert, a hang-up) or error; hyp_tls_say prints the message.
# shellcheck disable=SC2034,SC2154,SC2162 # results for the prebuilts; hyp_net_*: lib/net; read: see lib/net
hyp_tls_fetch() {
  _hyp_tls_fetch_host=$1 _hyp_tls_fetch_port=$2 _hyp_tls_fetch_sni=$3 _hyp_tls_fetch_timeout=$4
  hyp_net_ceil_secs "$_hyp_tls_fetch_timeout" || hyp_net_secs=5
  case $_hyp_tls_fetch_host in
    *:*) set -- openssl s_client -connect "[$_hyp_tls_fetch_host]:$_hyp_tls_fetch_port" -showcerts -state ;;
    *) set -- openssl s_client -connect "$_hyp_tls_fetch_host:$_hyp_tls_fetch_port" -showcerts -state ;;
  esac
  case $_hyp_tls_fetch_sni in
    '' | *:* | *[!0-9.]*) ;;
    *) _hyp_tls_fetch_sni= ;; # an IPv4 address is no server name
  esac
  case $_hyp_tls_fetch_sni in
    '' | *:*) ;;
    *) set -- "$@" -servername "$_hyp_tls_fetch_sni" ;;
  esac
  rm -f "$HYP_PLUGIN_DIR/tls-leaf.pem" "$HYP_PLUGIN_DIR/tls-chain.pem"
  hyp_now_ms
  _hyp_tls_fetch_t0=$hyp_ms
  hyp_net_run "$hyp_net_secs" "$HYP_PLUGIN_DIR/tls-out" "$HYP_PLUGIN_DIR/tls-err" "$@"
  hyp_now_ms
  hyp_tls_elapsed_ms=$((hyp_ms - _hyp_tls_fetch_t0))
  hyp_tls_split "$HYP_PLUGIN_DIR/tls-out"
  # What went wrong, from both streams: openssl 1.1 and 3 put "PID:error:CODE:LIB:FUNC:REASON:
  # FILE:LINE:" lines on stderr; the reason is the sixth field.
  awk -v certs="$hyp_tls_certs" -v timedout="$hyp_net_timed_out" -v t="$_hyp_tls_fetch_timeout" '
    function consider(p, k, m) { if (p < best) { best = p; kind = k; msg = m } }
    BEGIN { best = 99 }
    { sub(/\r$/, "") }
    # -state lines (stderr, unbuffered) say TCP connected even when a deadline kills openssl
    # before it flushes stdout.
    /^CONNECTED\(/ || /^SSL_connect:/ { connected = 1 }
    /^connect:errno=/ { next }
    {
      l = tolower($0)
      reason = ""
      if ($0 ~ /:error:/) { n = split($0, f, ":"); if (n >= 6) reason = f[6] }
      if (reason == "") reason = $0
      if (l ~ /connection refused/) consider(1, "refused", "connect: connection refused")
      else if (l ~ /name or service not known|nodename nor servname|no address associated|temporary failure in name resolution|gethostbyname|bio_lookup/) consider(1, "dns", "DNS: could not resolve host")
      else if (l ~ /no route to host|host is unreachable/) consider(1, "unreachable", "connect: no route to host")
      else if (l ~ /network is unreachable/) consider(1, "unreachable", "connect: network is unreachable")
      else if (l ~ /wrong version number|packet length too long|unknown protocol|http request|record layer failure|record_layer_failure/) consider(2, "nottls", "not TLS: the server does not speak TLS on this port (" reason ")")
      else if (l ~ /alert/) consider(3, "handshake", "TLS handshake failed: " reason)
      else if (l ~ /unexpected eof|connection reset|reset by peer/) consider(4, "handshake", "TLS handshake failed: the server hung up (" reason ")")
      else if (l ~ /:error:/ && other == "") other = reason
    }
    END {
      if (certs > 0) { print "ok"; print ""; print connected + 0; exit }
      if (timedout == 1) {
        kind = "timeout"
        msg = connected ? "TLS handshake timed out after " t "s (connected, no answer in TLS)" : "connect timed out after " t "s"
      }
      if (kind == "" && connected) { kind = "nottls"; msg = "no certificate: the server sent none" (other != "" ? " (" other ")" : "") }
      if (kind == "") { kind = "error"; msg = "openssl s_client failed" (other != "" ? ": " other : "") }
      print kind; print msg; print connected + 0
    }
  ' "$HYP_PLUGIN_DIR/tls-err" "$HYP_PLUGIN_DIR/tls-out" >"$HYP_PLUGIN_DIR/tls-stage"
  hyp_tls_stage=error hyp_tls_connected=0
  {
    read hyp_tls_stage
    read _hyp_tls_fetch_msg
    read hyp_tls_connected
  } <"$HYP_PLUGIN_DIR/tls-stage"
  return 0
}

# hyp_tls_say: prints the message hyp_tls_fetch wrote, with no newline.
hyp_tls_say() {
  awk 'NR == 2 { printf "%s", $0 }' "$HYP_PLUGIN_DIR/tls-stage"
}

# hyp_tls_inspect PEM NOW: reads the certificate in PEM (`openssl x509 -text`) and writes
# $HYP_PLUGIN_DIR/tls-info, one "KEY VALUE" line each: notbefore and notafter (epoch seconds),
# from and until (YYYY-MM-DD), subject, issuer, names (the subjectAltName entries). Sets
# hyp_tls_left (seconds until notAfter from NOW, negative once expired), hyp_tls_early (seconds
# until notBefore, positive when not valid yet) and hyp_tls_until (YYYY-MM-DD). Fails when PEM
# holds no certificate openssl can read.
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see lib/net
hyp_tls_inspect() {
  LC_ALL=C openssl x509 -in "$1" -noout -text >"$HYP_PLUGIN_DIR/tls-text" 2>"$HYP_PLUGIN_DIR/tls-x509-err" || return 1
  awk -v now="$2" "$hyp_time_awk"'
    function when(s,   f, n, mon, hms) {
      # "Nov 28 12:00:00 2026 GMT" (openssl pads the day with a space)
      n = split(s, f, " ")
      if (n < 4) return ""
      mon = hyp_month(f[1])
      split(f[3], hms, ":")
      ymd = sprintf("%04d-%02d-%02d", f[4], mon, f[2])
      return sprintf("%.0f", hyp_epoch(f[4], mon, f[2], hms[1], hms[2], hms[3]))
    }
    { sub(/\r$/, "") }
    /^ *Not Before *:/ { s = $0; sub(/^[^:]*: */, "", s); nb = when(s); from = ymd }
    /^ *Not After *:/ { s = $0; sub(/^[^:]*: */, "", s); na = when(s); until = ymd }
    /^ *Subject: / && subject == "" { subject = $0; sub(/^ *Subject: /, "", subject) }
    /^ *Issuer: / && issuer == "" { issuer = $0; sub(/^ *Issuer: /, "", issuer) }
    san { names = $0; sub(/^ */, "", names); san = 0 }
    /X509v3 Subject Alternative Name/ { san = 1 }
    END {
      if (na == "") exit 1
      printf "notbefore %s\nnotafter %s\nfrom %s\nuntil %s\n", nb, na, from, until
      printf "subject %s\nissuer %s\nnames %s\n", subject, issuer, names
      printf "%.0f %.0f %s\n", na - now, nb - now, until >"/dev/stderr"
    }
  ' "$HYP_PLUGIN_DIR/tls-text" >"$HYP_PLUGIN_DIR/tls-info" 2>"$HYP_PLUGIN_DIR/tls-left" || return 1
  read hyp_tls_left hyp_tls_early hyp_tls_until <"$HYP_PLUGIN_DIR/tls-left" || return 1
  return 0
}

# hyp_tls_info KEY: prints the value hyp_tls_inspect recorded for KEY, with no newline.
hyp_tls_info() {
  awk -v k="$1" '$1 == k { sub(/^[^ ]* ?/, ""); printf "%s", $0; exit }' "$HYP_PLUGIN_DIR/tls-info"
}

# hyp_tls_check_name PEM NAME: whether the certificate in PEM is for NAME (a host name, or an
# IPv4/IPv6 address), by openssl's own rules (wildcards included). 0 when it is, 1 when not.
hyp_tls_check_name() {
  case $2 in
    *:* | *[!0-9.]*) _hyp_tls_check_name_opt=-checkhost ;;
    *) _hyp_tls_check_name_opt=-checkip ;;
  esac
  case $2 in
    *:*) _hyp_tls_check_name_opt=-checkip ;;
  esac
  LC_ALL=C openssl x509 -in "$1" -noout "$_hyp_tls_check_name_opt" "$2" >"$HYP_PLUGIN_DIR/tls-name" 2>&1
  awk '/ does match certificate/ { ok = 1 } END { exit !ok }' "$HYP_PLUGIN_DIR/tls-name"
}

# hyp_tls_verify LEAF CHAIN [CA_FILE]: verifies the certificate in LEAF, with the certificates in
# CHAIN (may be empty) as intermediates, against CA_FILE or, when empty, the system's store.
# 0 when it verifies; else 1, and hyp_tls_verify_say prints openssl's reason.
hyp_tls_verify() {
  set -- "$1" "$2" "${3-}"
  _hyp_tls_verify_leaf=$1
  if [ -s "$2" ]; then _hyp_tls_verify_chain=$2; else _hyp_tls_verify_chain=; fi
  if [ -n "$3" ]; then set -- openssl verify -CAfile "$3"; else set -- openssl verify; fi
  [ -n "$_hyp_tls_verify_chain" ] && set -- "$@" -untrusted "$_hyp_tls_verify_chain"
  LC_ALL=C "$@" "$_hyp_tls_verify_leaf" </dev/null >"$HYP_PLUGIN_DIR/tls-verify" 2>&1
}

# hyp_tls_verify_say: prints why hyp_tls_verify failed, with no newline, e.g. "unable to get
# local issuer certificate" or "certificate has expired (depth 1)".
hyp_tls_verify_say() {
  awk '
    /^error [0-9]+ at [0-9]+ depth lookup: / && msg == "" {
      depth = $4; msg = $0; sub(/^[^:]*: */, "", msg)
      if (depth != "0") msg = msg " (depth " depth ")"
    }
    /:error:/ && other == "" { n = split($0, f, ":"); if (n >= 6) other = f[6] }
    END {
      if (msg == "") msg = other
      if (msg == "") msg = "openssl verify failed"
      printf "%s", msg
    }
  ' "$HYP_PLUGIN_DIR/tls-verify"
}

# hyp_tls_names_say: prints whom the certificate is for, with no newline: its subjectAltName
# entries, else its subject.
hyp_tls_names_say() {
  awk '
    $1 == "names" { v = $0; sub(/^[^ ]* ?/, "", v); names = v }
    $1 == "subject" { v = $0; sub(/^[^ ]* ?/, "", v); subject = v }
    END { printf "%s", names != "" ? names : subject }
  ' "$HYP_PLUGIN_DIR/tls-info"
}
