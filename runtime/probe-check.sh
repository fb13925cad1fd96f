# hypothecary runtime: probe-check
# requires: bounded
# The real health checks, and the probe's fast path. Codegen puts this fragment and the probe
# functions first, before the rest of the runtime: shells read and run a script one command at
# a time, so a healthy probe exits here without parsing the rest of the file. It starts no
# process but the check and its watchdog, writes no file and reads no clock.

# hyp_probe_exec TIMEOUT_MS COMMAND: COMMAND exactly as written, run by this shell in a
# subshell (as `sh -c` would, without starting another shell), within the deadline.
hyp_probe_exec() {
  hyp_probe_secs=$((($1 + 999) / 1000))
  hyp_bounded "$hyp_probe_secs" eval "$2" >/dev/null 2>&1
  hyp_probe_status=$?
  if [ -n "$hyp_bounded_late" ]; then
    hyp_probe_reason="timed out after ${hyp_probe_secs}s"
    return 1
  fi
  [ "$hyp_probe_status" -eq 0 ] && return 0
  hyp_probe_reason="exit $hyp_probe_status"
  return 1
}

# hyp_probe_inline TIMEOUT_MS COMMAND: a check the compiler found to be only `test` builtins
# (compiler/codegen/inline-check.ts): it cannot block, exit or start a process, so it runs in
# this shell, with no fork at all.
hyp_probe_inline() {
  eval "$2" >/dev/null 2>&1 && return 0
  hyp_probe_reason="exit $?"
  return 1
}

# hyp_probe_http TIMEOUT_MS SCHEME HOST PORT PATH [HEADER...]: a GET that succeeds on 200-399,
# as the kubelet's httpGet does (redirects are not followed; a 3xx is a success).
hyp_probe_http() {
  hyp_probe_secs=$((($1 + 999) / 1000))
  hyp_probe_url="$2://$3:$4$5"
  shift 5
  if command -v curl >/dev/null 2>&1; then
    hyp_probe_code=$(
      for hyp_probe_header in "$@"; do set -- "$@" -H "$hyp_probe_header"; shift; done
      curl -sk -o /dev/null -w '%{http_code}' --max-time "$hyp_probe_secs" "$@" "$hyp_probe_url" 2>/dev/null
    )
  elif command -v wget >/dev/null 2>&1; then
    # wget only says whether the answer was 2xx (it follows redirects); busybox wget has no -T.
    for hyp_probe_header in "$@"; do set -- "$@" --header "$hyp_probe_header"; shift; done
    if hyp_bounded "$hyp_probe_secs" wget -q -O /dev/null "$@" "$hyp_probe_url" 2>/dev/null; then hyp_probe_code=200; else hyp_probe_code=000; fi
  else
    hyp_probe_reason='no curl or wget to make the request'
    return 1
  fi
  case $hyp_probe_code in
    2?? | 3??) return 0 ;;
    000 | '') hyp_probe_reason="no answer from $hyp_probe_url within ${hyp_probe_secs}s" ;;
    *) hyp_probe_reason="HTTP $hyp_probe_code from $hyp_probe_url" ;;
  esac
  return 1
}

# hyp_probe_tcp TIMEOUT_MS HOST PORT: the port accepts a connection.
hyp_probe_tcp() {
  hyp_probe_secs=$((($1 + 999) / 1000))
  if command -v nc >/dev/null 2>&1; then
    # -z first, so a healthy probe costs one nc; only when that fails, ask whether this nc knows
    # -z at all. busybox nc does not: there, -e true hangs up as soon as the connection opens
    # (and must come last).
    nc -z -w "$hyp_probe_secs" "$2" "$3" </dev/null >/dev/null 2>&1 && return 0
    if ! nc -h 2>&1 | grep -q -- ' -z'; then
      hyp_bounded "$hyp_probe_secs" nc "$2" "$3" -e true >/dev/null 2>&1 && return 0
    fi
  elif command -v curl >/dev/null 2>&1; then
    # curl's telnet:// never hangs up by itself: an open port shows as exit 28 (timed out) after
    # connecting, a closed one as 7.
    curl -s --max-time "$hyp_probe_secs" "telnet://$2:$3" </dev/null >/dev/null 2>&1
    [ $? -eq 28 ] && return 0
  else
    hyp_probe_reason='no nc or curl to open a connection'
    return 1
  fi
  hyp_probe_reason="$2:$3 refused or did not answer within ${hyp_probe_secs}s"
  return 1
}

# hyp_probe_fast KIND: runs the KIND probe; healthy, it prints the stable line and exits 0.
# Otherwise it returns, with hyp_probe_reason set, for the full runtime to handle the failure.
hyp_probe_fast() {
  case $1 in
    liveness | readiness | startup) ;;
    *) return 0 ;;
  esac
  case " $HYP_PROBES " in *" $1 "*) ;; *) return 0 ;; esac
  hyp_probe_reason=
  if "hyp_probe_$1"; then
    printf 'hypothecary %s: ok\n' "$1"
    exit 0
  fi
  hyp_probe_failed=$1
}
