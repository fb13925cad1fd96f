# hypothecary runtime: sinks
# requires: report bounded clock proc
# Log sinks (`sinks:`). A run's report lines are collected as hyp_emit writes them (report.sh,
# into hyp_sink_lines); when the report has gone to `report.to` (the container log first), every
# sink gets all of them, in parallel: one background job per sink, each attempt bounded by the
# sink's `timeout`, at most `retries` more attempts with backoff (1 s, 2 s, 4 s, ...) on a
# connection failure, a timeout, a 5xx or a 429, none on another answer. How each delivery went
# is one more report line, `{"event":"sink",...}`, written to `report.to` only.
# Secrets (token_env/token_file, url_env/url_file) are read by awk, at delivery, straight into
# curl's config on its stdin (`curl -K -`): never into a shell variable, a file or an argv
# (/proc/PID/cmdline is world-readable). Without curl, a sink that needs no secret goes through
# wget (whose headers and URL are arguments); one that does is not delivered, and says why.
# Each type's payload and its fixed headers are in runtime/sink-TYPE.sh.

# hyp_sink_awk: awk functions the sink programs share (with hyp_json_awk).
hyp_sink_awk='
# conf_q: a value for curl -K: double-quoted, each \ and " escaped. No gsub: what its
# replacement does with \ differs by awk.
function conf_q(s,    out, c, i) {
  out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    out = out (c == "\\" || c == "\"" ? "\\" : "") c
  }
  return "\"" out "\""
}
# secret(KIND): the value of ENVIRON["HYPS_" KIND "_ENV"] or the first line of the file
# ENVIRON["HYPS_" KIND "_FILE"] (trailing blanks and CR dropped), or ENVIRON["HYPS_" KIND]
# itself; "" when none is set. A missing one ends the program (status 3) saying why.
function secret(kind,    name, file, v, rc) {
  name = ENVIRON["HYPS_" kind "_ENV"]; file = ENVIRON["HYPS_" kind "_FILE"]
  if (name != "") {
    v = ENVIRON[name]
    if (v == "") { printf "%s_env: the environment variable %s is empty or not set\n", tolower(kind), name > "/dev/stderr"; exit 3 }
  } else if (file != "") {
    rc = (getline v < file)
    close(file)
    if (rc < 0) { printf "%s_file: cannot read %s\n", tolower(kind), file > "/dev/stderr"; exit 3 }
    sub(/[ \t\r]+$/, "", v)
    if (v == "") { printf "%s_file: %s is empty\n", tolower(kind), file > "/dev/stderr"; exit 3 }
  } else v = ENVIRON["HYPS_" kind]
  if (v ~ /[\001-\037]/) { printf "the %s spans several lines or holds control characters\n", tolower(kind) > "/dev/stderr"; exit 3 }
  return v
}
# sink_url: the endpoint: the URL (or the one read from url_env/url_file), with the API path of
# the type (HYPS_PATH) appended unless it is there already.
function sink_url(    u, p) {
  u = secret("URL"); p = ENVIRON["HYPS_PATH"]
  if (p != "" && index(u, p) == 0) { sub(/\/+$/, "", u); u = u p }
  return u
}
# sink_host: the host the report comes from: the host field of the sink, else the host name.
function sink_host(    h) {
  h = ENVIRON["HYPS_HOST"]
  if (h == "") h = ENVIRON["HOSTNAME"]
  if (h == "" && (getline h < "/proc/sys/kernel/hostname") > 0) close("/proc/sys/kernel/hostname")
  return h == "" ? "unknown" : h
}
# report_value: the report line as a JSON value: the object itself, or (report.format text) a string.
function report_value(line) { return line ~ /^\{/ ? line : json_string(line) }
'

# hyp_sinks_deliver: delivers the run's report lines to every sink, then reports how each went.
hyp_sinks_deliver() {
  _hyp_sinks_lines=${hyp_sink_lines:-}
  # What follows goes to report.to alone.
  hyp_sink_lines=
  if [ -z "$_hyp_sinks_lines" ] || [ ! -s "$_hyp_sinks_lines" ]; then
    for _hyp_sinks_i in $HYP_SINKS; do
      "hyp_sink_$_hyp_sinks_i"
      hyp_emit_line "$(hyp_sink_status_line failed 0 '' 0 0 'no writable folder to keep the report in for delivery' </dev/null)"
    done
    return 0
  fi
  # One clock reading for every sink: the same lines carry the same time everywhere.
  hyp_sinks_epoch=$(date +%s)
  hyp_sinks_count=$(wc -l <"$_hyp_sinks_lines")
  hyp_sinks_count=$((hyp_sinks_count + 0))
  # While sinks deliver, TERM, INT and HUP end them too.
  hyp_sinks_pids=
  trap 'hyp_sinks_abort 143' TERM
  trap 'hyp_sinks_abort 130' INT
  trap 'hyp_sinks_abort 129' HUP
  for _hyp_sinks_i in $HYP_SINKS; do
    _hyp_sinks_dir="$hyp_scratch/s$_hyp_sinks_i"
    mkdir "$_hyp_sinks_dir" || continue
    "hyp_sink_$_hyp_sinks_i"
    hyp_sink_send "$_hyp_sinks_dir" <"$_hyp_sinks_lines" >/dev/null 2>"$_hyp_sinks_dir/stderr" &
    eval "_hyp_sinks_pid_$_hyp_sinks_i=\$!"
    hyp_sinks_pids="$hyp_sinks_pids $!"
  done
  for _hyp_sinks_i in $HYP_SINKS; do
    hyp_get "_hyp_sinks_pid_$_hyp_sinks_i"
    [ -z "$hyp_value" ] || wait "$hyp_value" 2>/dev/null
  done
  hyp_sinks_pids=
  trap 'hyp_run_abort 143' TERM
  trap 'hyp_run_abort 130' INT
  trap 'hyp_run_abort 129' HUP
  for _hyp_sinks_i in $HYP_SINKS; do
    _hyp_sinks_dir="$hyp_scratch/s$_hyp_sinks_i"
    "hyp_sink_$_hyp_sinks_i"
    _hyp_sinks_result='failed 0 - 0'
    if [ -s "$_hyp_sinks_dir/result" ]; then
      # shellcheck disable=SC2162 # plain read: see hyp_now_ms
      read _hyp_sinks_result <"$_hyp_sinks_dir/result"
    else
      printf 'the delivery ended without a word\n' >>"$_hyp_sinks_dir/error"
    fi
    # shellcheck disable=SC2086 # "STATUS ATTEMPTS HTTP MS", split on purpose
    set -- $_hyp_sinks_result
    [ "$3" != - ] || set -- "$1" "$2" '' "$4"
    hyp_sink_status_line "$1" "$2" "$3" "$hyp_sinks_count" "$4" <"$_hyp_sinks_dir/error" >"$_hyp_sinks_dir/line"
    hyp_emit "$_hyp_sinks_dir/line"
  done
}

# hyp_sinks_abort STATUS: a signal while sinks deliver: their jobs and what they run end first.
# A job is stopped before its tree is read, so it cannot start a backoff's sleep in between.
hyp_sinks_abort() {
  for _hyp_sinks_pid in $hyp_sinks_pids; do
    kill -STOP "$_hyp_sinks_pid" 2>/dev/null
    hyp_proc_signal KILL "$_hyp_sinks_pid"
    kill -KILL "$_hyp_sinks_pid" 2>/dev/null
  done
  hyp_run_abort "$1"
}

# hyp_sink_send DIR: one sink's delivery (its attributes loaded; in the background). The lines
# are on stdin. Leaves DIR/result, "STATUS ATTEMPTS HTTP_STATUS|- DURATION_MS", and DIR/error.
hyp_sink_send() {
  _hyp_send_dir=$1
  : >"$_hyp_send_dir/error"
  hyp_now_ms
  _hyp_send_start=$hyp_ms
  _hyp_send_attempts=0 _hyp_send_code=- _hyp_send_status=failed
  # keeps: hyp_sink_prepare_* hyp_sink_body_* -- called by type, from runtime/sink-TYPE.sh
  "hyp_sink_prepare_$hyp_sink_type"
  hyp_sink_env
  # The type's payload, from the report lines.
  if ! "hyp_sink_body_$hyp_sink_type" >"$_hyp_send_dir/body" 2>>"$_hyp_send_dir/error"; then
    printf 'could not build the payload\n' >>"$_hyp_send_dir/error"
    hyp_sink_result
    return 0
  fi
  _hyp_send_tool=
  if command -v curl >/dev/null 2>&1; then
    _hyp_send_tool=curl
  elif [ -n "$hyp_sink_token_env$hyp_sink_token_file$hyp_sink_url_env$hyp_sink_url_file" ]; then
    printf 'curl is not installed, and this sink needs a secret, which wget could only take on its command line\n' >"$_hyp_send_dir/error"
  elif command -v wget >/dev/null 2>&1; then
    _hyp_send_tool=busybox_wget
    wget --version >/dev/null 2>&1 && _hyp_send_tool=wget
  else
    printf 'neither curl nor wget is installed\n' >"$_hyp_send_dir/error"
  fi
  # The secrets are there (read now, written nowhere): a missing one is not worth retrying.
  if [ -n "$_hyp_send_tool" ] && ! hyp_sink_conf >/dev/null 2>"$_hyp_send_dir/error"; then
    _hyp_send_tool=
  fi
  [ -n "$_hyp_send_tool" ] || { hyp_sink_result; return 0; }
  _hyp_send_backoff=1
  while :; do
    _hyp_send_attempts=$((_hyp_send_attempts + 1))
    # keeps: hyp_sink_try_* -- called by tool: curl, wget, busybox_wget
    "hyp_sink_try_$_hyp_send_tool"
    _hyp_send_code=${hyp_sink_code:--}
    case $hyp_sink_verdict in
      ok) _hyp_send_status=delivered; break ;;
      fatal) break ;;
    esac
    [ "$_hyp_send_attempts" -le "$hyp_sink_retries" ] || break
    sleep "$_hyp_send_backoff"
    [ "$_hyp_send_backoff" -ge 4 ] || _hyp_send_backoff=$((_hyp_send_backoff * 2))
  done
  [ "$_hyp_send_status" != delivered ] || : >"$_hyp_send_dir/error"
  hyp_sink_result
}

# hyp_sink_result: writes DIR/result from what hyp_sink_send found.
hyp_sink_result() {
  hyp_now_ms
  printf '%s %s %s %s\n' "$_hyp_send_status" "$_hyp_send_attempts" "$_hyp_send_code" $((hyp_ms - _hyp_send_start)) \
    >"$_hyp_send_dir/result"
}

# hyp_sink_env: the sink's attributes, for its awk programs (HYPS_*), in the environment of this
# delivery's job alone.
hyp_sink_env() {
  HYPS_TYPE=$hyp_sink_type HYPS_URL=$hyp_sink_url HYPS_URL_ENV=$hyp_sink_url_env HYPS_URL_FILE=$hyp_sink_url_file
  HYPS_TOKEN_ENV=$hyp_sink_token_env HYPS_TOKEN_FILE=$hyp_sink_token_file HYPS_TOKEN=
  HYPS_PATH=$hyp_sink_path HYPS_AUTH=$hyp_sink_auth HYPS_FIXED=$hyp_sink_fixed HYPS_HEADERS=$hyp_sink_headers
  HYPS_EPOCH=$hyp_sinks_epoch HYPS_HOST=${hyp_sink_host:-}
  export HYPS_TYPE HYPS_URL HYPS_URL_ENV HYPS_URL_FILE HYPS_TOKEN_ENV HYPS_TOKEN_FILE HYPS_TOKEN HYPS_PATH \
    HYPS_AUTH HYPS_FIXED HYPS_HEADERS HYPS_EPOCH HYPS_HOST
}

# hyp_sink_conf: curl's config for this sink on stdout (the URL, the headers, the token): what
# `curl -K -` reads. Status 3, and why on stderr, when a secret cannot be read.
hyp_sink_conf() {
  awk "$hyp_json_awk$hyp_sink_awk"'BEGIN {
    printf "url = %s\n", conf_q(sink_url())
    print "header = \"Content-Type: application/json\""
    if (ENVIRON["HYPS_AUTH"] != "" && (ENVIRON["HYPS_TOKEN_ENV"] != "" || ENVIRON["HYPS_TOKEN_FILE"] != "")) {
      printf "header = %s\n", conf_q(ENVIRON["HYPS_AUTH"] secret("TOKEN"))
    }
    n = split(ENVIRON["HYPS_FIXED"] "\n" ENVIRON["HYPS_HEADERS"], h, "\n")
    for (i = 1; i <= n; i++) if (h[i] != "") printf "header = %s\n", conf_q(h[i])
  }'
}

# hyp_sink_try_curl: one attempt with curl; sets hyp_sink_code and hyp_sink_verdict.
hyp_sink_try_curl() {
  rm -f "$_hyp_send_dir/response" "$_hyp_send_dir/code" "$_hyp_send_dir/tool-err"
  # -q first: no ~/.curlrc. No --fail: the status is read, and the answer kept for the error.
  hyp_sink_conf 2>/dev/null | curl -q -sS -K - --data-binary "@$_hyp_send_dir/body" \
    -o "$_hyp_send_dir/response" -w '%{http_code}' --max-time "$hyp_sink_timeout" \
    --connect-timeout "$hyp_sink_timeout" >"$_hyp_send_dir/code" 2>"$_hyp_send_dir/tool-err"
  _hyp_try_rc=$?
  hyp_sink_code=
  # shellcheck disable=SC2162 # plain read: see hyp_now_ms
  [ ! -s "$_hyp_send_dir/code" ] || read hyp_sink_code <"$_hyp_send_dir/code"
  case $hyp_sink_code in [1-5][0-9][0-9]) ;; *) hyp_sink_code= ;; esac
  case $_hyp_try_rc in
    # Wrong use, a bad URL, an unreadable body, TLS verification: another try cannot help.
    1 | 2 | 3 | 26 | 27 | 43 | 53 | 58 | 59 | 60 | 77 | 80 | 83) _hyp_try_retry= ;;
    *) _hyp_try_retry=1 ;;
  esac
  hyp_sink_judge "$_hyp_try_rc"
}

# hyp_sink_try_wget, hyp_sink_try_busybox_wget: one attempt with wget (a sink without secrets:
# its headers and URL are arguments). The deadline is runtime/bounded.sh's watchdog.
# GNU wget bounds each phase with -T, the watchdog the whole (a second later); busybox wget has
# no -T here, so the watchdog is its deadline.
hyp_sink_try_wget() {
  hyp_sink_wget $(($(hyp_sink_secs) + 1)) --tries=1 --max-redirect=0 --content-on-error -T "$(hyp_sink_secs)" -nv
}
hyp_sink_try_busybox_wget() {
  hyp_sink_wget "$(hyp_sink_secs)" -q
}

# hyp_sink_wget SECONDS OPTIONS...: the wget attempt itself, ended after SECONDS.
hyp_sink_wget() {
  rm -f "$_hyp_send_dir/response" "$_hyp_send_dir/tool-err"
  _hyp_wget_secs=$1
  shift
  set -- wget "$@" -S -O "$_hyp_send_dir/response" --post-file "$_hyp_send_dir/body"
  _hyp_wget_ifs=$IFS
  set -f
  IFS='
'
  for _hyp_wget_h in Content-Type:\ application/json $hyp_sink_fixed $hyp_sink_headers; do
    set -- "$@" --header "$_hyp_wget_h"
  done
  IFS=$_hyp_wget_ifs
  set +f
  set -- "$@" "$(awk "$hyp_json_awk$hyp_sink_awk"'BEGIN { print sink_url() }')"
  # The watchdog signals this job itself, not the run: $$ would name the run's shell.
  hyp_bounded_here
  hyp_bounded "$_hyp_wget_secs" "$@" 2>"$_hyp_send_dir/tool-err"
  _hyp_try_rc=$?
  hyp_sink_code=$(awk '/^  HTTP\/[0-9.]+ [0-9][0-9][0-9]/ { code = $2 } END { print code }' "$_hyp_send_dir/tool-err")
  _hyp_try_retry=1
  if [ "$_hyp_try_rc" -eq 124 ]; then
    printf 'no answer within %ss\n' "$hyp_sink_timeout" >>"$_hyp_send_dir/tool-err"
  fi
  hyp_sink_judge "$_hyp_try_rc"
}

# hyp_sink_secs: the timeout in whole seconds, rounded up.
hyp_sink_secs() {
  case $hyp_sink_timeout in
    *.*) printf '%s\n' $((${hyp_sink_timeout%%.*} + 1)) ;;
    *) printf '%s\n' "$hyp_sink_timeout" ;;
  esac
}

# hyp_sink_judge RC: from hyp_sink_code and the tool's status, the attempt's verdict (ok, retry,
# fatal), and its error in DIR/error: the status with the start of the answer, or the tool's
# last word.
hyp_sink_judge() {
  case $hyp_sink_code in
    2??) hyp_sink_verdict=ok; return 0 ;;
    429 | 5??) hyp_sink_verdict=retry ;;
    ?*) hyp_sink_verdict=fatal ;;
    *) if [ -n "$_hyp_try_retry" ]; then hyp_sink_verdict=retry; else hyp_sink_verdict=fatal; fi ;;
  esac
  if [ -n "$hyp_sink_code" ]; then
    {
      printf 'HTTP %s' "$hyp_sink_code"
      if [ -s "$_hyp_send_dir/response" ]; then
        printf ': '
        dd if="$_hyp_send_dir/response" bs=200 count=1 2>/dev/null | tr '\n\r\000' '   '
      fi
      printf '\n'
    } >"$_hyp_send_dir/error"
  else
    awk -v rc="$1" '
      /^  / { next }  # wget -S: the answer headers
      { sub(/[ \r]+$/, ""); if ($0 != "") last = $0 }
      END { print (last != "" ? last : "failed with status " rc) }' "$_hyp_send_dir/tool-err" >"$_hyp_send_dir/error"
  fi
}

# hyp_sink_status_line STATUS ATTEMPTS HTTP LINES MS [ERROR]: the report line saying how the
# delivery to the loaded sink went; the error is ERROR or the first line on stdin.
hyp_sink_status_line() {
  HYPJ_SERVICE=$HYP_SERVICE HYPJ_RUN_ID=$HYP_RUN_ID HYPJ_TRIGGER=$HYP_TRIGGER HYPJ_FORMAT=$HYP_REPORT_FORMAT \
    HYPJ_SINK=$hyp_sink_name HYPJ_TYPE=$hyp_sink_type HYPJ_STATUS=$1 HYPJ_ATTEMPTS=$2 HYPJ_HTTP=$3 \
    HYPJ_LINES=$4 HYPJ_DURATION=$5 HYPJ_ERROR=${6:-} \
    awk "$hyp_json_awk"'
    NR == 1 { err = $0 }
    END {
      json_init()
      json_ascii = 1
      if (ENVIRON["HYPJ_ERROR"] != "") err = ENVIRON["HYPJ_ERROR"]
      gsub(/[\001-\037]/, " ", err)
      err = substr(err, 1, 600)
      if (err == "") err = "no message"
      a = ENVIRON["HYPJ_ATTEMPTS"] + 0
      if (ENVIRON["HYPJ_FORMAT"] == "text") {
        line = sprintf("SINK    %s (%s) ", ENVIRON["HYPJ_SINK"], ENVIRON["HYPJ_TYPE"])
        if (ENVIRON["HYPJ_STATUS"] == "delivered") line = line "delivered " ENVIRON["HYPJ_LINES"] " lines"
        else line = line "FAILED"
        line = line sprintf(" (%d attempt%s", a, a == 1 ? "" : "s")
        if (ENVIRON["HYPJ_HTTP"] != "") line = line ", http " ENVIRON["HYPJ_HTTP"]
        line = line ", " ENVIRON["HYPJ_DURATION"] " ms)"
        if (ENVIRON["HYPJ_STATUS"] != "delivered") line = line ": " err
        print line
        exit
      }
      printf "{\"event\":\"sink\",\"service\":%s,\"run_id\":%s,\"trigger\":%s,\"sink\":%s,\"type\":%s,",
        json_string(ENVIRON["HYPJ_SERVICE"]), json_string(ENVIRON["HYPJ_RUN_ID"]), json_string(ENVIRON["HYPJ_TRIGGER"]),
        json_string(ENVIRON["HYPJ_SINK"]), json_string(ENVIRON["HYPJ_TYPE"])
      printf "\"status\":%s,\"attempts\":%d,\"http_status\":%s,\"lines\":%d,\"duration_ms\":%d,\"error\":%s}\n",
        json_string(ENVIRON["HYPJ_STATUS"]), a, json_number_or_null(ENVIRON["HYPJ_HTTP"]), ENVIRON["HYPJ_LINES"],
        ENVIRON["HYPJ_DURATION"], (ENVIRON["HYPJ_STATUS"] == "delivered" ? "null" : json_string(err))
    }'
}
