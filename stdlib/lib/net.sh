# hypothecary runtime: lib/net
# requires: plugin-api clock
# What the network prebuilts share (HTTP, TCP, EGRESS, CLOCK-SKEW; DNS, TLS and AWS-STS are meant
# to build on it):
#   - which tool here can do the job: hyp_net_http_tool, hyp_net_tcp_tool
#   - one request or connection attempt, bounded in time: hyp_net_http_request (with request
#     headers and a proxy from hyp_net_http_options), hyp_net_tcp_connect, and hyp_net_run for
#     tools that have no deadline of their own
#   - one vocabulary for what went wrong whatever the tool said: hyp_net_classify
#   - the proxy the environment sets for a URL, NO_PROXY included: hyp_net_env_proxy
#   - small pure helpers: hyp_now_ms, hyp_net_ceil_secs, hyp_net_secs_ms, hyp_net_url_parse,
#     hyp_net_status_accepted, hyp_net_mask_url
# Results come back in globals named hyp_net_*, because a command substitution costs a fork.
# `read` without -r throughout: posh mis-parses the options of the `wait` that follows a
# `read -r`, and every value read here is a number or a word this file wrote.
# What a tool prints only ever lands in files named $HYP_PLUGIN_DIR/net-* and is read by awk:
# raw output never sits in a shell variable (NUL bytes vanish, yash truncates bad UTF-8).
# shellcheck disable=SC2154 # hyp_ms is set by hyp_now_ms, in runtime/clock.sh

# hyp_net_ceil_secs SECONDS: sets hyp_net_secs to SECONDS (whole or decimal, as the compiler
# passes durations) rounded up to a whole number, at least 1: POSIX `sleep`, busybox and nc take
# whole seconds only. Fails on anything but digits with at most one dot.
hyp_net_ceil_secs() {
  case $1 in
    '' | . | *[!0-9.]* | *.*.*) return 1 ;;
  esac
  _hyp_net_ceil_secs_int=${1%%.*}
  # Leading zeros would make the arithmetic read the number as octal.
  while :; do
    case $_hyp_net_ceil_secs_int in
      0?*) _hyp_net_ceil_secs_int=${_hyp_net_ceil_secs_int#0} ;;
      *) break ;;
    esac
  done
  hyp_net_secs=${_hyp_net_ceil_secs_int:-0}
  case $1 in
    *.*[1-9]*) hyp_net_secs=$((hyp_net_secs + 1)) ;;
  esac
  [ "$hyp_net_secs" -ge 1 ] || hyp_net_secs=1
}

# hyp_net_secs_ms SECONDS: sets hyp_net_msecs to SECONDS (whole or decimal, as the compiler passes
# durations) in whole milliseconds, rounded down. Fails on anything but digits with at most one
# dot.
# shellcheck disable=SC2034 # the result is for the prebuilts
hyp_net_secs_ms() {
  case $1 in
    '' | . | *[!0-9.]* | *.*.*) return 1 ;;
  esac
  _hyp_net_secs_ms_int=${1%%.*}
  _hyp_net_secs_ms_frac=
  case $1 in
    *.*) _hyp_net_secs_ms_frac=${1#*.} ;;
  esac
  _hyp_net_secs_ms_frac=${_hyp_net_secs_ms_frac}000
  while [ ${#_hyp_net_secs_ms_frac} -gt 3 ]; do _hyp_net_secs_ms_frac=${_hyp_net_secs_ms_frac%?}; done
  _hyp_net_secs_ms_int=$_hyp_net_secs_ms_int$_hyp_net_secs_ms_frac
  # Leading zeros would make the arithmetic read the number as octal.
  while :; do
    case $_hyp_net_secs_ms_int in
      0?*) _hyp_net_secs_ms_int=${_hyp_net_secs_ms_int#0} ;;
      *) break ;;
    esac
  done
  hyp_net_msecs=$((_hyp_net_secs_ms_int + 0))
}

# hyp_net_url_parse URL: splits an http(s) URL. Sets hyp_net_scheme (http or https),
# hyp_net_host (an IPv6 address without its brackets), hyp_net_port (the scheme's default when
# absent), hyp_net_path (path and query, at least "/", no fragment) and hyp_net_url_shown (the URL
# with any password replaced by ***, for printing). Fails unless URL is
# http[s]://[USERINFO@]HOST[:PORT][/...].
# shellcheck disable=SC2034 # the results are for the prebuilts
hyp_net_url_parse() {
  case $1 in
    [Hh][Tt][Tt][Pp]://*) hyp_net_scheme=http hyp_net_port=80 ;;
    [Hh][Tt][Tt][Pp][Ss]://*) hyp_net_scheme=https hyp_net_port=443 ;;
    *) return 1 ;;
  esac
  _hyp_net_url_parse_rest=${1#*://}
  _hyp_net_url_parse_auth=${_hyp_net_url_parse_rest%%[/?#]*}
  _hyp_net_url_parse_tail=${_hyp_net_url_parse_rest#"$_hyp_net_url_parse_auth"}
  hyp_net_path=${_hyp_net_url_parse_tail%%#*}
  case $hyp_net_path in
    '') hyp_net_path=/ ;;
    \?*) hyp_net_path=/$hyp_net_path ;;
  esac
  # The last @ ends the userinfo (an @ inside it has to be percent-encoded anyway).
  _hyp_net_url_parse_hostport=${_hyp_net_url_parse_auth##*@}
  hyp_net_url_shown=$1
  case $_hyp_net_url_parse_auth in
    *@*)
      _hyp_net_url_parse_user=${_hyp_net_url_parse_auth%@*}
      case $_hyp_net_url_parse_user in
        *:*) _hyp_net_url_parse_user="${_hyp_net_url_parse_user%%:*}:***" ;;
      esac
      hyp_net_url_shown=${1%%://*}://$_hyp_net_url_parse_user@$_hyp_net_url_parse_hostport$_hyp_net_url_parse_tail
      ;;
  esac
  _hyp_net_url_parse_port=
  case $_hyp_net_url_parse_hostport in
    \[*\]) hyp_net_host=${_hyp_net_url_parse_hostport#\[} hyp_net_host=${hyp_net_host%\]} ;;
    \[*\]:*)
      hyp_net_host=${_hyp_net_url_parse_hostport#\[}
      hyp_net_host=${hyp_net_host%%\]*}
      _hyp_net_url_parse_port=${_hyp_net_url_parse_hostport##*\]:}
      ;;
    *:*:*) return 1 ;; # an IPv6 address needs brackets in a URL
    *:*)
      hyp_net_host=${_hyp_net_url_parse_hostport%:*}
      _hyp_net_url_parse_port=${_hyp_net_url_parse_hostport##*:}
      ;;
    *) hyp_net_host=$_hyp_net_url_parse_hostport ;;
  esac
  [ -n "$hyp_net_host" ] || return 1
  case $_hyp_net_url_parse_hostport in
    *:) return 1 ;;
  esac
  if [ -n "$_hyp_net_url_parse_port" ]; then
    case $_hyp_net_url_parse_port in
      *[!0-9]*) return 1 ;;
    esac
    hyp_net_port=$_hyp_net_url_parse_port
  fi
  return 0
}

# hyp_net_status_accepted CODE SPEC: whether the HTTP status CODE is one SPEC accepts. SPEC is a
# comma-separated list of classes (2xx), codes (204) and ranges (200-299); spaces around items
# are allowed. Returns 0 when accepted, 1 when not, 2 when SPEC is not such a list.
hyp_net_status_accepted() {
  _hyp_net_status_accepted_rest=$2,
  _hyp_net_status_accepted_rc=1
  # Every item is checked, even after a match: a typo later in the list is still an error.
  while [ -n "$_hyp_net_status_accepted_rest" ]; do
    _hyp_net_status_accepted_item=${_hyp_net_status_accepted_rest%%,*}
    _hyp_net_status_accepted_rest=${_hyp_net_status_accepted_rest#*,}
    # Trim the spaces around the item.
    while :; do
      case $_hyp_net_status_accepted_item in
        ' '*) _hyp_net_status_accepted_item=${_hyp_net_status_accepted_item# } ;;
        *' ') _hyp_net_status_accepted_item=${_hyp_net_status_accepted_item% } ;;
        *) break ;;
      esac
    done
    case $_hyp_net_status_accepted_item in
      [1-5][Xx][Xx])
        [ "${1%??}" = "${_hyp_net_status_accepted_item%??}" ] && _hyp_net_status_accepted_rc=0
        ;;
      [1-5][0-9][0-9])
        [ "$1" = "$_hyp_net_status_accepted_item" ] && _hyp_net_status_accepted_rc=0
        ;;
      [1-5][0-9][0-9]-[1-5][0-9][0-9])
        # Three digits starting 1-5: no octal surprise in the comparison.
        [ "$1" -ge "${_hyp_net_status_accepted_item%-*}" ] 2>/dev/null &&
          [ "$1" -le "${_hyp_net_status_accepted_item#*-}" ] 2>/dev/null && _hyp_net_status_accepted_rc=0
        ;;
      *) return 2 ;;
    esac
  done
  return "$_hyp_net_status_accepted_rc"
}

# hyp_net_run SECONDS OUT ERR COMMAND [ARG...]: runs COMMAND with stdin from /dev/null, stdout to
# the file OUT, stderr to the file ERR and LC_ALL=C (messages we can classify), and kills it
# after SECONDS (whole seconds). Sets hyp_net_rc to its exit status, and hyp_net_timed_out to 1
# when the deadline killed it (empty otherwise). For tools with no overall deadline of their own
# (wget -T bounds each phase, busybox wget may have no -T at all, bash /dev/tcp none).
# Leaves no process behind: no traps, every process is killed by the PID its parent knows.
# shellcheck disable=SC2162 # see the note on read at the top
hyp_net_run() {
  _hyp_net_run_secs=$1 _hyp_net_run_out=$2 _hyp_net_run_err=$3
  shift 3
  rm -f "$HYP_PLUGIN_DIR/net-run.pid" "$HYP_PLUGIN_DIR/net-run.rc"
  # The timer is a plain sleep, our own child. `exec` matters: inside a function, yash runs
  # `cmd <redirections &` in an extra subshell, and $! would name that subshell, not the sleep.
  # (Its stdin is /dev/null already: the shell does that for background jobs.)
  exec sleep "$_hyp_net_run_secs" >/dev/null 2>&1 &
  _hyp_net_run_timer=$!
  # The job: starts COMMAND, tells us its PID, waits for it, records its status, then ends the
  # timer early. Its own stderr (shell job messages) is dropped; COMMAND's goes to ERR.
  (
    LC_ALL=C
    export LC_ALL
    exec "$@" </dev/null >"$_hyp_net_run_out" 2>"$_hyp_net_run_err" &
    printf '%s\n' "$!" >"$HYP_PLUGIN_DIR/net-run.pid"
    wait "$!"
    printf '%s\n' "$?" >"$HYP_PLUGIN_DIR/net-run.rc"
    kill "$_hyp_net_run_timer"
  ) 2>/dev/null &
  _hyp_net_run_job=$!
  # Returns when the timer ends: killed by the job because COMMAND finished, or at the deadline.
  # 2>/dev/null: several shells report a killed job ("Terminated") on stderr.
  wait "$_hyp_net_run_timer" 2>/dev/null
  hyp_net_timed_out=
  if [ ! -f "$HYP_PLUGIN_DIR/net-run.rc" ]; then
    hyp_net_timed_out=1
    _hyp_net_run_pid=
    [ -f "$HYP_PLUGIN_DIR/net-run.pid" ] && read _hyp_net_run_pid <"$HYP_PLUGIN_DIR/net-run.pid"
    case $_hyp_net_run_pid in
      '' | *[!0-9]*) kill "$_hyp_net_run_job" 2>/dev/null ;; # not started yet: end the job itself
      *) kill "$_hyp_net_run_pid" 2>/dev/null ;;
    esac
  fi
  wait "$_hyp_net_run_job" 2>/dev/null
  hyp_net_rc=
  [ -f "$HYP_PLUGIN_DIR/net-run.rc" ] && read hyp_net_rc <"$HYP_PLUGIN_DIR/net-run.rc"
  case $hyp_net_rc in
    '' | *[!0-9]*) hyp_net_rc=255 ;;
  esac
  return 0
}

# hyp_net_classify TOOL RC TIMED_OUT TIMEOUT ERR [CODE [TLS [CONNECT]]]: turns what a tool did
# into one outcome.
# TOOL is curl | wget | busybox-wget | nc | bash; RC its exit status; TIMED_OUT 1 when
# hyp_net_run's deadline killed it; TIMEOUT the deadline as the user wrote it, in seconds, for the
# message; ERR the file holding its stderr; CODE the HTTP status curl's --write-out gave; TLS 1
# when the connection was meant to be TLS; CONNECT the status a proxy answered to curl's CONNECT
# (its %{http_connect}).
# Writes $HYP_PLUGIN_DIR/net-stage: line 1 the outcome, line 2 the HTTP status seen (or empty),
# line 3 one line for humans ("connect: connection refused"), line 4 the status a proxy answered
# to CONNECT when it refused the tunnel (or empty). Sets hyp_net_stage to the outcome,
# hyp_net_http_code to the status and hyp_net_proxy_code to line 4; hyp_net_stage_say prints
# the message.
# Outcomes: ok (the tool did its job; for HTTP, whatever the status), dns, refused, unreachable,
# timeout, tls, receive (the peer hung up or spoke garbage), proxy (a proxy refused to open a
# tunnel: line 4 says with which status), error (anything else).
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_net_classify() {
  awk -v tool="$1" -v rc="$2" -v timedout="$3" -v t="$4" -v code="${6-}" -v tls="${7-}" -v connect="${8-}" '
    function clean(s) {
      gsub(/[[:cntrl:]]/, " ", s)
      sub(/^(curl: \([0-9]+\)|wget:|nc:|bash:|ERROR:|ssl_client:)[ ]*/, "", s)
      sub(/^(bash: )?line [0-9]+: /, "", s)
      sub(/^[ ]+/, "", s); sub(/[ .]+$/, "", s)
      return length(s) > 200 ? substr(s, 1, 200) "..." : s
    }
    function consider(p, k, m) { if (p < best) { best = p; kind = k; msg = m } }
    # GNU wget names a refused tunnel by its reason phrase only.
    function phrase_code(r) {
      r = tolower(r)
      if (r ~ /^proxy auth/) return "407"
      if (r == "forbidden") return "403"
      if (r == "bad gateway") return "502"
      if (r == "service unavailable") return "503"
      if (r == "gateway timeout" || r == "gateway time-out") return "504"
      if (r == "bad request") return "400"
      if (r == "method not allowed") return "405"
      if (r == "not found") return "404"
      return ""
    }
    BEGIN { best = 99; kind = ""; status = ""; pcode = ""; phrase = "" }
    {
      line = $0
      sub(/\r$/, "", line)
      # curl -v: the first status line is the proxy answer to CONNECT when there was one.
      if (phrase == "" && line ~ /^< HTTP\/[0-9.]+ [1-5][0-9][0-9] [^ ]/) {
        phrase = line; sub(/^< HTTP\/[0-9.]+ [1-5][0-9][0-9] /, "", phrase)
      }
      if (line ~ /^Proxy tunneling failed: /) {
        r = substr(line, 25); sub(/Unable to establish SSL connection.*$/, "", r); sub(/[ .]+$/, "", r)
        pcode = phrase_code(r)
        consider(0, "proxy", "proxy: CONNECT answered " (pcode != "" ? pcode " " : "") clean(r))
        next
      }
      # A response status line (wget -S indents them; curl -v prefixes "< "): the first final
      # one is the answer to our request (busybox wget follows redirects on its own).
      if (status == "" && match(line, /^(  |< )HTTP\/[0-9.]+ [1-5][0-9][0-9]/)) {
        s = substr(line, RSTART, RLENGTH); s = substr(s, length(s) - 2)
        if (s !~ /^1/) status = s
      }
      # Header and data lines are not messages: wget -S indents them, curl -v marks them.
      if (line ~ /^(  |[<>{}] |[<>]$)/) next
      if (line ~ /^curl: \([0-9]+\) /) curlmsg = line
      if (line ~ /server returned error/) httperror = 1
      # busybox wget warns about its own TLS before any connection problem: not a failure.
      if (line ~ /validation not implemented/) next
      l = tolower(line)
      if (l ~ /could not resolve|couldn.t resolve|unable to resolve|name or service not known|bad address|name resolution|no address associated|nodename nor servname|does not resolve|unknown host|host not found/)
        consider(1, "dns", "DNS: could not resolve host")
      else if (l ~ /connection refused/) consider(2, "refused", "connect: connection refused")
      else if (l ~ /no route to host|host is unreachable|host unreachable/) consider(3, "unreachable", "connect: no route to host")
      else if (l ~ /network is unreachable|network unreachable/) consider(3, "unreachable", "connect: network is unreachable")
      else if (l ~ /timed out|time-out|timeout/) consider(4, "timeout", "")
      else if (l ~ /ssl|tls|certificate|handshake/) consider(5, "tls", "TLS: " clean(line))
      else if (l ~ /reset by peer|empty reply|no data received|unexpected eof|end of file|broken pipe|closed/) consider(6, "receive", "receive: " clean(line))
      if (line !~ /^[ ]*$/) last = line
    }
    END {
      # Killed by signal n: the shells report 128+n, ksh93 256+n, yash 384+n.
      signal = rc > 128 ? rc % 128 : 0
      if (tool == "curl") {
        if (code ~ /^[1-5][0-9][0-9]$/) status = code; else status = ""
        # curl says what failed in its exit status; the text only refines "could not connect".
        if (rc == 0) kind = "ok"
        else if (rc == 5) { kind = "dns"; msg = "DNS: could not resolve proxy" }
        else if (rc == 6) { kind = "dns"; msg = "DNS: could not resolve host" }
        else if (rc == 7) { if (kind != "refused" && kind != "unreachable") { kind = "error"; msg = "connect: " clean(curlmsg) } }
        else if (rc == 28) kind = "timeout"
        else if (rc ~ /^(35|51|53|54|58|59|60|64|66|77|80|82|83|90|91|98)$/) { kind = "tls"; msg = "TLS: " clean(curlmsg) }
        else if (rc == 52) { kind = "receive"; msg = "receive: empty reply from server" }
        else if (rc == 56 && connect ~ /^[1-5][0-9][0-9]$/ && connect != "200") {
          kind = "proxy"; pcode = connect
          msg = "proxy: CONNECT answered " connect (phrase != "" ? " " clean(phrase) : "")
        }
        else if (rc == 55 || rc == 56) { kind = "receive"; msg = "receive: " clean(curlmsg) }
        else { kind = "error"; msg = "error: " clean(curlmsg) }
      } else if (tool == "wget") {
        # GNU wget: 8 means the server answered with an error status, which is an answer.
        if (kind == "proxy") { }
        else if (rc == 0 || rc == 8) kind = "ok"
        else if (rc == 5 && kind != "tls") { kind = "tls"; msg = "TLS: certificate verification failed" }
      } else if (tool == "busybox-wget") {
        if (rc == 0 || httperror) kind = "ok"
        # With openssl on PATH busybox wget runs `openssl s_client`, which quits silently when
        # verification fails: busybox then reports a reset, or dies of SIGPIPE writing to it.
        else if (tls == 1 && status == "" && (kind == "receive" || (kind == "" && signal == 13))) {
          kind = "tls"
          msg = "TLS: the handshake failed (busybox wget does not say why; an untrusted certificate is the usual cause)"
        }
      } else if (rc == 0) kind = "ok"
      if (timedout == 1) kind = "timeout"
      if (kind == "timeout") msg = "timeout after " t "s"
      if (kind == "") {
        kind = "error"
        if (last != "") msg = "error: " clean(last)
        else if (signal) msg = "error: " tool " was killed by signal " signal
        else msg = "error: " tool " exited with status " rc
      }
      if (kind == "ok") msg = ""
      if (kind != "proxy") pcode = ""
      print kind; print status; print msg; print pcode
    }
  ' "$5" >"$HYP_PLUGIN_DIR/net-stage"
  hyp_net_stage=error hyp_net_http_code='' hyp_net_proxy_code=''
  {
    read hyp_net_stage
    read hyp_net_http_code
    read _hyp_net_classify_msg
    read hyp_net_proxy_code
  } <"$HYP_PLUGIN_DIR/net-stage"
  return 0
}

# hyp_net_stage_say: prints the message hyp_net_classify wrote, with no newline.
hyp_net_stage_say() {
  awk 'NR == 3 { printf "%s", $0 }' "$HYP_PLUGIN_DIR/net-stage"
}

# hyp_net_http_options HEADERS PROXY: what the next hyp_net_http_tool and hyp_net_http_request
# calls use besides the method and URL, until changed. HEADERS: request headers, one
# "Name: value" per line (empty: none). PROXY: empty for the environment's settings as the tool
# reads them; `direct` for no proxy whatever the environment says; else a proxy URL that is used
# whatever the environment (NO_PROXY included) says.
# Neither ever reaches a command line (/proc/PID/cmdline is world-readable): they go to the tool
# through a 0600 file written from a here-document (curl -K, GNU wget --config) or the
# environment (busybox wget's proxy). busybox wget takes headers only as arguments:
# hyp_net_http_tool refuses it for a header whose name looks like a credential.
# Fails, with hyp_net_bad saying why (it never quotes a value), when a header is not
# "Name: value" or the proxy is not one line. Sets hyp_net_opt_secret to the first header name
# that looks like a credential (Authorization, Cookie, *token*, *key*, *secret*, *auth*, *pass*,
# *session*), or empty.
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_net_http_options() {
  hyp_net_opt_headers=$1 hyp_net_opt_proxy=$2 hyp_net_opt_secret='' hyp_net_bad=''
  _hyp_net_http_options_rc=0
  awk '
    NR == 1 { next }
    $0 == "" { next }
    {
      n++
      if (!match($0, /^[!#$%&*+.^_`|~0-9A-Za-z'"'"'-]+:/)) { if (bad == "") bad = n; next }
      if (substr($0, RLENGTH + 1) ~ /[\001-\010\012-\037\177]/) { if (bad == "") bad = n; next }
      name = substr($0, 1, RLENGTH - 1)
      l = tolower(name)
      if (secret == "" && l ~ /authorization|cookie|token|key|secret|auth|pass|session|credential/) secret = name
    }
    END { print (bad == "" ? "ok" : "bad " bad); print secret }
  ' >"$HYP_PLUGIN_DIR/net-opts" <<EOF
-
$hyp_net_opt_headers
EOF
  _hyp_net_http_options_check=
  {
    read _hyp_net_http_options_check
    read hyp_net_opt_secret
  } <"$HYP_PLUGIN_DIR/net-opts"
  case $_hyp_net_http_options_check in
    ok) ;;
    *)
      hyp_net_bad="header ${_hyp_net_http_options_check#bad } is not \"Name: value\""
      _hyp_net_http_options_rc=1
      ;;
  esac
  case $hyp_net_opt_proxy in
    *'
'*)
      hyp_net_bad="the proxy spans several lines"
      _hyp_net_http_options_rc=1
      ;;
  esac
  return "$_hyp_net_http_options_rc"
}

# hyp_net_mask_url URL: sets hyp_net_masked to URL with any password replaced by ***
# (http://user:***@proxy:3128), for printing.
# shellcheck disable=SC2034 # the result is for the prebuilts
hyp_net_mask_url() {
  hyp_net_masked=$1
  _hyp_net_mask_url_rest=${1#*://}
  _hyp_net_mask_url_auth=${_hyp_net_mask_url_rest%%[/?#]*}
  case $_hyp_net_mask_url_auth in
    *@*) ;;
    *) return 0 ;;
  esac
  _hyp_net_mask_url_user=${_hyp_net_mask_url_auth%@*}
  case $_hyp_net_mask_url_user in
    *:*) _hyp_net_mask_url_user="${_hyp_net_mask_url_user%%:*}:***" ;;
  esac
  hyp_net_masked=${1%"$_hyp_net_mask_url_rest"}$_hyp_net_mask_url_user@${_hyp_net_mask_url_rest#*@}
}

# hyp_net_env_proxy SCHEME HOST PORT: the proxy the environment sets for a SCHEME://HOST:PORT
# request, as most clients read it: https_proxy then HTTPS_PROXY for https (http_proxy then
# HTTP_PROXY for http), then all_proxy and ALL_PROXY; unless no_proxy (or NO_PROXY) excludes the
# host: `*`, a name that matches it or a domain above it (`example.com`, `.example.com`,
# `*.example.com`), an IP address, an IPv4 CIDR block (10.0.0.0/8), each optionally with :PORT.
# Sets hyp_net_proxy_var (the variable that set it; empty: none), hyp_net_proxy_url, and
# hyp_net_no_proxy_entry (the no_proxy entry that excludes the host; the proxy is then empty).
# Sets hyp_net_proxy_note to a remark for humans, or empty: an https request with only an
# http_proxy set (which clients use for http:// URLs only), or a proxy that GNU and busybox wget
# ignore (they read only the lowercase names).
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_net_env_proxy() {
  awk -v scheme="$1" -v host="$2" -v port="$3" '
    function ip4(s,   p, n, i, v) {
      n = split(s, p, ".")
      if (n != 4) return -1
      v = 0
      for (i = 1; i <= 4; i++) {
        if (p[i] !~ /^[0-9]+$/ || p[i] + 0 > 255) return -1
        v = v * 256 + p[i]
      }
      return v
    }
    function excluded(list,   e, n, i, entry, eport, h, bits, base, size) {
      n = split(list, e, /[ ,]+/)
      h = tolower(host)
      for (i = 1; i <= n; i++) {
        entry = tolower(e[i])
        if (entry == "") continue
        if (entry == "*") return e[i]
        eport = ""
        if (entry ~ /^\[.*\]:[0-9]+$/ || (entry ~ /:[0-9]+$/ && entry !~ /:.*:/)) {
          eport = entry; sub(/^.*:/, "", eport); sub(/:[0-9]+$/, "", entry)
        }
        if (eport != "" && eport != port) continue
        gsub(/^\[|\]$/, "", entry)
        if (entry ~ /^[0-9.]+\/[0-9]+$/) {
          bits = entry; sub(/^.*\//, "", bits); sub(/\/.*$/, "", entry)
          base = ip4(entry)
          if (base < 0 || ip4(h) < 0 || bits + 0 > 32) continue
          size = 2 ^ (32 - bits)
          if (int(ip4(h) / size) == int(base / size)) return e[i]
          continue
        }
        sub(/^\*/, "", entry)
        sub(/^\./, "", entry)
        if (entry == "") continue
        if (h == entry) return e[i]
        if (length(h) > length(entry) && substr(h, length(h) - length(entry)) == "." entry) return e[i]
      }
      return ""
    }
    BEGIN {
      var = ""; note = ""
      split(scheme == "https" ? "https_proxy HTTPS_PROXY all_proxy ALL_PROXY" : "http_proxy HTTP_PROXY all_proxy ALL_PROXY", names, " ")
      for (i = 1; i <= 4; i++) if (ENVIRON[names[i]] != "") { var = names[i]; break }
      if (var == "" && scheme == "https" && (ENVIRON["http_proxy"] != "" || ENVIRON["HTTP_PROXY"] != ""))
        note = (ENVIRON["http_proxy"] != "" ? "http_proxy" : "HTTP_PROXY") " is set, but clients use it for http:// URLs only; https_proxy is not set"
      else if (var != "" && var != tolower(var) && var !~ /ALL/)
        note = "only " var " is set: GNU and busybox wget read only the lowercase " tolower(var)
      entry = ""
      if (var != "") {
        no = ENVIRON["no_proxy"] != "" ? ENVIRON["no_proxy"] : ENVIRON["NO_PROXY"]
        entry = excluded(no)
      }
      print var; print (entry == "" && var != "" ? ENVIRON[var] : ""); print entry; print note
    }
  ' >"$HYP_PLUGIN_DIR/net-envproxy" </dev/null
  hyp_net_proxy_var='' hyp_net_proxy_url='' hyp_net_no_proxy_entry='' hyp_net_proxy_note=''
  {
    read hyp_net_proxy_var
    read hyp_net_proxy_url
    read hyp_net_no_proxy_entry
    read hyp_net_proxy_note
  } <"$HYP_PLUGIN_DIR/net-envproxy"
  return 0
}

# hyp_net_http_tool METHOD [URL]: picks the first tool here that can send METHOD (to URL, with
# what hyp_net_http_options set): curl, else GNU wget (a wget that answers --version), else
# busybox wget (as `wget` or as `busybox wget`; it sends GET and POST only, does not use a proxy
# for https:// URLs, and takes headers only on its command line). Sets hyp_net_tool to curl |
# wget | busybox-wget, and for busybox wget hyp_net_wget_cmd to how to call it (wget | busybox).
# When none fits, fails and sets hyp_net_missing to the reason.
# shellcheck disable=SC2034 # results for the prebuilts
hyp_net_http_tool() {
  hyp_net_tool=''
  hyp_net_wget_cmd=''
  hyp_net_missing=''
  if hyp_have curl; then
    hyp_net_tool=curl
    return 0
  fi
  if hyp_have wget; then
    if wget --version >/dev/null 2>&1; then
      hyp_net_tool=wget
      return 0
    fi
    hyp_net_wget_cmd=wget # a wget that does not know --version is busybox's
  elif hyp_have busybox && busybox wget --help >/dev/null 2>&1; then
    hyp_net_wget_cmd=busybox
  fi
  if [ -z "$hyp_net_wget_cmd" ]; then
    hyp_net_missing="no HTTP client here (looked for curl, wget and busybox wget)"
    return 1
  fi
  case $1 in
    GET | POST) ;;
    *)
      hyp_net_missing="busybox wget cannot send $1 requests, and there is no curl or GNU wget here"
      return 1
      ;;
  esac
  if [ -n "${hyp_net_opt_secret-}" ]; then
    hyp_net_missing="busybox wget takes request headers only on its command line, where any user sees them (ps); $hyp_net_opt_secret looks like a credential and is not sent that way (install curl or GNU wget)"
    return 1
  fi
  case ${2-}:${hyp_net_opt_proxy-} in
    [Hh][Tt][Tt][Pp][Ss]://*: | [Hh][Tt][Tt][Pp][Ss]://*:direct) ;;
    [Hh][Tt][Tt][Pp][Ss]://*)
      hyp_net_missing="busybox wget does not use a proxy for https:// URLs, and there is no curl or GNU wget here"
      return 1
      ;;
  esac
  hyp_net_tool=busybox-wget
  return 0
}

# hyp_net_http_conf FILE: writes what curl -K or GNU wget --config needs for the options of
# hyp_net_http_options into FILE (0600), from a here-document: no value reaches a command line.
# curl: `proxy`, `noproxy` and `header` lines, values double-quoted with \ and " escaped (an
# empty value is sent as "Name;", curl's way). GNU wget: `header`, `http_proxy`, `https_proxy`,
# `use_proxy` and an empty `no_proxy` (a proxy forced whatever NO_PROXY says).
hyp_net_http_conf() {
  (
    umask 077
    awk -v tool="$hyp_net_tool" '
      # Each \ and " escaped by a \; no gsub: what its replacement does with \ differs by awk.
      function q(s,   out, c, i) {
        out = ""
        for (i = 1; i <= length(s); i++) {
          c = substr(s, i, 1)
          out = out (c == "\\" || c == "\"" ? "\\" : "") c
        }
        return "\"" out "\""
      }
      NR == 1 {
        if (tool == "curl") {
          if ($0 == "direct") print "noproxy = \"*\""
          else if ($0 != "") { print "proxy = " q($0); print "noproxy = \"\"" }
        } else if ($0 != "" && $0 != "direct") {
          print "http_proxy = " $0; print "https_proxy = " $0; print "use_proxy = on"; print "no_proxy = "
        }
        next
      }
      $0 == "" { next }
      tool == "curl" {
        h = $0
        if (h ~ /^[^:]*:[ \t]*$/) sub(/:[ \t]*$/, ";", h)
        print "header = " q(h)
        next
      }
      { print "header = " $0 }
    ' >"$1" <<EOF
$hyp_net_opt_proxy
$hyp_net_opt_headers
EOF
  )
}

# hyp_net_http_request METHOD URL TIMEOUT [INSECURE]: sends one request with the tool
# hyp_net_http_tool picked and the options of hyp_net_http_options, with no body (POST, PUT and
# PATCH send an empty one) and without following redirects: a 3xx is the answer (busybox wget
# follows them anyway; its first answer counts). TIMEOUT is in seconds, decimals allowed;
# INSECURE non-empty skips TLS verification.
# The response body lands in $HYP_PLUGIN_DIR/net-body; the response headers are in
# $HYP_PLUGIN_DIR/net-err among the tool's messages (curl -v: "< Name: value", wget -S:
# "  Name: value"). Sets hyp_net_elapsed_ms and, through hyp_net_classify, hyp_net_stage (ok
# when a response came, whatever its status), hyp_net_http_code (the status, empty when no
# response came) and hyp_net_proxy_code.
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_net_http_request() {
  _hyp_net_http_request_method=$1 _hyp_net_http_request_url=$2 _hyp_net_http_request_timeout=$3
  _hyp_net_http_request_insecure=${4-}
  hyp_net_ceil_secs "$_hyp_net_http_request_timeout" || hyp_net_secs=5
  rm -f "$HYP_PLUGIN_DIR/net-body" "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err" \
    "$HYP_PLUGIN_DIR/net-conf"
  hyp_net_timed_out=''
  _hyp_net_http_request_code=''
  _hyp_net_http_request_connect=''
  _hyp_net_http_request_conf=''
  if [ -n "${hyp_net_opt_headers-}${hyp_net_opt_proxy-}" ] && [ "$hyp_net_tool" != busybox-wget ]; then
    _hyp_net_http_request_conf=$HYP_PLUGIN_DIR/net-conf
    hyp_net_http_conf "$_hyp_net_http_request_conf"
  fi
  case $hyp_net_tool in
    curl)
      # -q: ignore ~/.curlrc. -v: the verbose lines say why a connect failed. curl's own
      # --max-time bounds everything, DNS included, so it runs without hyp_net_run.
      set -- curl -q -sS -v -o "$HYP_PLUGIN_DIR/net-body" -w '%{http_code}\n%{http_connect}\n' \
        --max-time "$_hyp_net_http_request_timeout"
      [ -n "$_hyp_net_http_request_conf" ] && set -- "$@" -K "$_hyp_net_http_request_conf"
      [ -n "$_hyp_net_http_request_insecure" ] && set -- "$@" -k
      case $_hyp_net_http_request_method in
        GET) ;;
        HEAD) set -- "$@" -I ;; # -X HEAD would wait for a body that never comes
        POST | PUT | PATCH) set -- "$@" -X "$_hyp_net_http_request_method" -d '' ;;
        *) set -- "$@" -X "$_hyp_net_http_request_method" ;;
      esac
      hyp_now_ms
      _hyp_net_http_request_t0=$hyp_ms
      LC_ALL=C "$@" "$_hyp_net_http_request_url" </dev/null \
        >"$HYP_PLUGIN_DIR/net-out" 2>"$HYP_PLUGIN_DIR/net-err"
      hyp_net_rc=$?
      hyp_now_ms
      {
        read _hyp_net_http_request_code || _hyp_net_http_request_code=
        read _hyp_net_http_request_connect || _hyp_net_http_request_connect=
      } <"$HYP_PLUGIN_DIR/net-out"
      ;;
    wget | busybox-wget)
      _hyp_net_http_request_env=
      if [ "$hyp_net_tool" = wget ]; then
        # GNU wget: one try, no redirects, no HSTS database, the body even for error statuses,
        # credentials sent up front (else a 401 and a second request); -T bounds each phase,
        # hyp_net_run the whole. Headers and a proxy come from --config (it replaces ~/.wgetrc;
        # /etc/wgetrc is still read).
        set -- wget -nv -S -O "$HYP_PLUGIN_DIR/net-body" --tries=1 --max-redirect=0 --no-hsts \
          --content-on-error --auth-no-challenge -T "$_hyp_net_http_request_timeout"
        [ -n "$_hyp_net_http_request_conf" ] && set -- "$@" --config="$_hyp_net_http_request_conf"
        [ "${hyp_net_opt_proxy-}" = direct ] && set -- "$@" --no-proxy
        case $_hyp_net_http_request_method in
          GET) ;;
          POST | PUT | PATCH) set -- "$@" --method="$_hyp_net_http_request_method" --body-data= ;;
          *) set -- "$@" --method="$_hyp_net_http_request_method" ;;
        esac
      else
        # busybox wget: no -T in many builds (Debian's even crashes on it), so hyp_net_run is
        # the only deadline; -S prints the status even when it exits 1 on a 4xx/5xx. It reads
        # its proxy from http_proxy only (for http:// URLs; no_proxy is ignored), and takes
        # headers as arguments (hyp_net_http_tool keeps credentials off them).
        if [ "$hyp_net_wget_cmd" = busybox ]; then set -- busybox wget; else set -- wget; fi
        set -- "$@" -q -S -O "$HYP_PLUGIN_DIR/net-body"
        case $_hyp_net_http_request_method in
          GET) ;;
          POST) set -- "$@" --post-data '' ;;
          *)
            hyp_net_missing="busybox wget cannot send $_hyp_net_http_request_method requests"
            return 1
            ;;
        esac
        case ${hyp_net_opt_proxy-} in
          '') ;;
          direct) set -- "$@" -Y off ;;
          *)
            _hyp_net_http_request_env=1
            _hyp_net_http_request_saved=${http_proxy-} _hyp_net_http_request_was=${http_proxy+1}
            http_proxy=$hyp_net_opt_proxy
            export http_proxy
            ;;
        esac
        if [ -n "${hyp_net_opt_headers-}" ]; then
          # One header per line: split on newlines only, no globbing.
          _hyp_net_http_request_ifs=$IFS _hyp_net_http_request_glob=
          case $- in *f*) _hyp_net_http_request_glob=1 ;; esac
          set -f
          IFS='
'
          for _hyp_net_http_request_h in $hyp_net_opt_headers; do
            set -- "$@" --header "$_hyp_net_http_request_h"
          done
          IFS=$_hyp_net_http_request_ifs
          [ -n "$_hyp_net_http_request_glob" ] || set +f
        fi
      fi
      [ -n "$_hyp_net_http_request_insecure" ] && set -- "$@" --no-check-certificate
      hyp_now_ms
      _hyp_net_http_request_t0=$hyp_ms
      hyp_net_run "$hyp_net_secs" "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err" \
        "$@" "$_hyp_net_http_request_url"
      hyp_now_ms
      if [ -n "$_hyp_net_http_request_env" ]; then
        if [ -n "$_hyp_net_http_request_was" ]; then
          http_proxy=$_hyp_net_http_request_saved
        else
          unset http_proxy
        fi
      fi
      ;;
    *)
      hyp_net_missing="no HTTP client was picked (call hyp_net_http_tool first)"
      return 1
      ;;
  esac
  # The file may hold credentials: gone as soon as the tool is done with it.
  [ -n "$_hyp_net_http_request_conf" ] && rm -f "$_hyp_net_http_request_conf"
  hyp_net_elapsed_ms=$((hyp_ms - _hyp_net_http_request_t0))
  _hyp_net_http_request_tls=
  case $_hyp_net_http_request_url in
    [Hh][Tt][Tt][Pp][Ss]:*) _hyp_net_http_request_tls=1 ;;
  esac
  hyp_net_classify "$hyp_net_tool" "$hyp_net_rc" "$hyp_net_timed_out" "$_hyp_net_http_request_timeout" \
    "$HYP_PLUGIN_DIR/net-err" "$_hyp_net_http_request_code" "$_hyp_net_http_request_tls" \
    "$_hyp_net_http_request_connect"
}

# hyp_net_tcp_tool: picks the first tool here that can open a TCP connection and close it at
# once: nc with -z (OpenBSD, traditional, ncat, busybox built with it), busybox's small nc
# (no -z, but -e runs a program once connected: `-e true` hangs up at once), bash (its
# /dev/tcp, run as a program: this runner may be dash), else curl telnet://, last because it
# cannot hang up by itself: an open port costs the whole timeout. Sets hyp_net_tool to nc |
# bash | curl, hyp_net_nc_cmd (nc | busybox) and hyp_net_nc_mode (-z or -e) for nc. When none
# fits, fails and sets hyp_net_missing to the reason.
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_net_tcp_tool() {
  hyp_net_tool=''
  hyp_net_nc_cmd=''
  hyp_net_nc_mode=''
  hyp_net_missing=''
  for _hyp_net_tcp_tool_cmd in nc busybox; do
    if [ "$_hyp_net_tcp_tool_cmd" = nc ]; then
      hyp_have nc || continue
      nc -h </dev/null >"$HYP_PLUGIN_DIR/net-help" 2>&1
    else
      hyp_have busybox || continue
      busybox nc -h </dev/null >"$HYP_PLUGIN_DIR/net-help" 2>&1
    fi
    # Each nc prints its options for -h (busybox after complaining about it).
    hyp_net_nc_mode=
    awk '
      /(^|[^A-Za-z0-9-])-z([^A-Za-z0-9]|$)/ { z = 1 }
      /-e PROG/ { e = 1 }
      END { if (z) print "-z"; else if (e) print "-e" }
    ' "$HYP_PLUGIN_DIR/net-help" >"$HYP_PLUGIN_DIR/net-mode"
    read hyp_net_nc_mode <"$HYP_PLUGIN_DIR/net-mode" || hyp_net_nc_mode=
    if [ -n "$hyp_net_nc_mode" ]; then
      hyp_net_tool=nc hyp_net_nc_cmd=$_hyp_net_tcp_tool_cmd
      return 0
    fi
  done
  if hyp_have bash; then
    hyp_net_tool=bash
  elif hyp_have curl; then
    hyp_net_tool=curl
  else
    hyp_net_missing="no tool here can open a TCP connection (looked for nc, busybox nc, bash and curl)"
    return 1
  fi
  return 0
}

# hyp_net_tcp_connect HOST PORT TIMEOUT: opens a TCP connection to HOST:PORT with the tool
# hyp_net_tcp_tool picked and closes it, giving up after TIMEOUT seconds (decimals allowed).
# Sets hyp_net_elapsed_ms (for an open port: the time to connect) and, through
# hyp_net_classify, hyp_net_stage: ok when the connection opened, else dns, refused,
# unreachable, timeout or error.
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_net_tcp_connect() {
  _hyp_net_tcp_connect_host=$1 _hyp_net_tcp_connect_port=$2 _hyp_net_tcp_connect_timeout=$3
  hyp_net_ceil_secs "$_hyp_net_tcp_connect_timeout" || hyp_net_secs=3
  rm -f "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err"
  hyp_net_timed_out=
  hyp_now_ms
  _hyp_net_tcp_connect_t0=$hyp_ms
  case $hyp_net_tool in
    nc)
      if [ "$hyp_net_nc_cmd" = busybox ]; then set -- busybox nc; else set -- nc; fi
      if [ "$hyp_net_nc_mode" = -z ]; then
        set -- "$@" -v -z -w "$hyp_net_secs" "$_hyp_net_tcp_connect_host" "$_hyp_net_tcp_connect_port"
      else
        # busybox's small nc takes everything after -e as the program: -e goes last. The
        # program hangs up at once; `busybox true` when nc is `busybox nc` (true may be missing).
        set -- "$@" -w "$hyp_net_secs" "$_hyp_net_tcp_connect_host" "$_hyp_net_tcp_connect_port" -e
        if [ "$hyp_net_nc_cmd" = busybox ]; then set -- "$@" busybox true; else set -- "$@" true; fi
      fi
      hyp_net_run "$hyp_net_secs" "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err" "$@"
      ;;
    bash)
      # The host and port reach bash as arguments, never as code.
      # shellcheck disable=SC2016
      hyp_net_run "$hyp_net_secs" "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err" \
        bash -c ': <"/dev/tcp/$1/$2"' hyp-tcp "$_hyp_net_tcp_connect_host" "$_hyp_net_tcp_connect_port"
      ;;
    curl)
      case $_hyp_net_tcp_connect_host in
        *:*) _hyp_net_tcp_connect_url=telnet://[$_hyp_net_tcp_connect_host]:$_hyp_net_tcp_connect_port ;;
        *) _hyp_net_tcp_connect_url=telnet://$_hyp_net_tcp_connect_host:$_hyp_net_tcp_connect_port ;;
      esac
      # telnet:// connects, then waits for the server to hang up: when it is still connected at
      # --max-time, num_connects says the port was open and time_connect how fast.
      LC_ALL=C curl -q -sS -v -o /dev/null -w '%{num_connects} %{time_connect}\n' \
        --connect-timeout "$_hyp_net_tcp_connect_timeout" --max-time "$_hyp_net_tcp_connect_timeout" \
        "$_hyp_net_tcp_connect_url" </dev/null >"$HYP_PLUGIN_DIR/net-out" 2>"$HYP_PLUGIN_DIR/net-err"
      hyp_net_rc=$?
      ;;
    *)
      hyp_net_missing="no TCP tool was picked (call hyp_net_tcp_tool first)"
      return 1
      ;;
  esac
  hyp_now_ms
  hyp_net_elapsed_ms=$((hyp_ms - _hyp_net_tcp_connect_t0))
  if [ "$hyp_net_tool" = curl ]; then
    # Connected (and then cut off by --max-time, or hung up on by the server): an open port.
    awk '$1 >= 1 { printf "%d\n", $2 * 1000 + 0.5; found = 1 } END { if (!found) print "" }' \
      "$HYP_PLUGIN_DIR/net-out" >"$HYP_PLUGIN_DIR/net-connect"
    _hyp_net_tcp_connect_ms=
    read _hyp_net_tcp_connect_ms <"$HYP_PLUGIN_DIR/net-connect" || _hyp_net_tcp_connect_ms=
    if [ -n "$_hyp_net_tcp_connect_ms" ]; then
      hyp_net_rc=0 hyp_net_elapsed_ms=$_hyp_net_tcp_connect_ms
    fi
  fi
  hyp_net_classify "$hyp_net_tool" "$hyp_net_rc" "$hyp_net_timed_out" "$_hyp_net_tcp_connect_timeout" \
    "$HYP_PLUGIN_DIR/net-err"
}
