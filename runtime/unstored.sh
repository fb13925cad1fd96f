# hypothecary runtime: unstored
# requires: bounded scheduler report
# `run` where no folder can be written: a read-only root filesystem with none of HYP_STATE_DIR,
# $TMPDIR, /tmp and /dev/shm writable. The hypotheses still run and the report still goes out,
# with what a run can do without files: one plugin at a time, in the order they are reached,
# each within its trigger_timeout; its output goes through a pipe into awk, which keeps what the
# report needs (capped, escaped to ASCII JSON) for the shell to hold. Given up, and said so in a
# `notice` line first: parallelism, the HTTP statuses of plain curl and wget in shell commands
# (no folder for the wrappers), `script` plugins and prebuilts (no folder for their files), the
# probe's lock file (hyp_unstored_running stands in) and the count of suppressed probe failures.

hyp_run_unstored() {
  hyp_unstored=1
  hyp_emit_line "$(hyp_notice_line "no writable folder for run state (HYP_STATE_DIR, TMPDIR, /tmp, /dev/shm): plugins run one at a time with their output held in memory; prebuilts are skipped, script plugins cannot run, plain curl and wget statuses are not observed")"
  hyp_schedule_reset
  while [ -n "$hyp_ready" ]; do
    # shellcheck disable=SC2086 # plugin numbers, split on purpose
    set -- $hyp_ready
    _hyp_unstored_i=$1
    shift
    hyp_ready=$*
    hyp_unstored_plugin "$_hyp_unstored_i"
  done
}

# hyp_unstored_plugin N: runs plugin N to its end or its deadline, and concludes it.
hyp_unstored_plugin() {
  "hyp_plugin_$1"
  hyp_parent_name "$1"
  eval "_hyp_state_$1=running"
  HYP_PLUGIN_DIR=
  HYP_PLUGIN=$hyp_name
  export HYP_PLUGIN_DIR HYP_PLUGIN HYP_PARENT
  hyp_now_ms
  _hyp_unstored_start=$hyp_ms
  if [ "$hyp_type" = prebuilt ]; then
    # Prebuilts keep their scratch files in HYP_PLUGIN_DIR: without one, a check would fail for
    # a reason that is not its hypothesis.
    hyp_unstored_take "$(printf 'skipped: a prebuilt needs a writable folder for its scratch files\n\036skipped\n\036exit 0 0\n' |
      hyp_unstored_digest)"
  else
    # The first part of the pipeline below is a process of its own, whose PID is not $$, and
    # the watchdog must signal it: a builtin's redirection is opened by the shell itself, so
    # /proc/self is that process. Without /proc the watchdog tells no one, and the plugin ends
    # killed rather than timed out. No comment goes inside $(...): posh misparses them there.
    hyp_unstored_take "$({
      hyp_bounded_here
      hyp_bounded "$(((hyp_timeout_ms + 999) / 1000))" "hyp_action_$1" 2>&1
      printf '\n\036exit %s %s\n' "$?" "${hyp_bounded_late:-0}"
    } | hyp_unstored_digest)"
  fi
  hyp_now_ms
  hyp_duration_ms=$((hyp_ms - _hyp_unstored_start))
  eval "_hyp_gist_$1=\$hyp_unstored_gist"
  hyp_running_count=1
  hyp_conclude "$1" "$hyp_unstored_late" "$hyp_unstored_skipped"
}

# hyp_unstored_digest: reads a plugin's output on stdin, with the lines hyp_plugin_mark and
# hyp_unstored_plugin add (RS, then `exit STATUS LATE`, `skipped`, `http CODE`), and prints
# for hyp_unstored_take: `STATUS LATE SKIPPED HTTP SIZE`, the gist (ASCII), the output escaped
# for JSON (ASCII, redacted and capped as a stored run does it; for the text format, its first
# line), and `.` (command substitution would take the empty lines off the end). Only what the
# report can show is kept: the rest is counted, not held.
hyp_unstored_digest() {
  tr '\000' '\377' | HYPJ_CAP=$HYP_OUTPUT_CAP HYPJ_SLACK=$HYP_REDACT_SLACK HYPJ_TYPE=$hyp_type \
    HYPJ_FORMAT=$HYP_REPORT_FORMAT HYPJ_REDACT=${HYP_REPORT_REDACT:-} awk "$hyp_json_awk$hyp_redact_awk$hyp_text_awk"'
    BEGIN { status = 0; late = 0; skipped = 0; http = "-"; n = 0; whole = 1; keep = ENVIRON["HYPJ_CAP"] + ENVIRON["HYPJ_SLACK"] }
    /^\036/ {
      split(substr($0, 2), f, " ")
      if (f[1] == "exit") { status = f[2]; late = f[3] != "" && f[3] != "0" }
      else if (f[1] == "skipped") skipped = 1
      else if (f[1] == "http") http = f[2]
      next
    }
    {
      size += length($0) + 1
      if (length(text) < keep) text = text (n > 0 ? "\n" : "") $0
      else whole = 0
      n++
      last = $0
    }
    END {
      # The line break put before the exit line ends the last line, or makes an empty one.
      if (n > 0) size--
      if (whole && n > 1 && last == "") text = substr(text, 1, length(text) - 1)
      cap = ENVIRON["HYPJ_CAP"] + 0
      text = substr(redact(text), 1, cap)
      gist = text_gist(text, ENVIRON["HYPJ_TYPE"] == "prebuilt")
      json_init()
      json_ascii = 1
      if (ENVIRON["HYPJ_FORMAT"] == "text") out = text_first(text)
      else {
        out = json_escape(text, 2400)
        if (json_cut || size > cap) out = out " [truncated: " size " bytes in all]"
      }
      gsub(/[^ -~]/, "?", gist)
      printf "%s %d %d %s %d\n%s\n%s\n.\n", status, late, skipped, http, size, gist, out
    }'
}

# hyp_unstored_take DIGEST: sets hyp_exit_code, hyp_unstored_late, hyp_unstored_skipped,
# hyp_http_status, hyp_unstored_size, hyp_unstored_gist and hyp_unstored_out from
# hyp_unstored_digest's three lines.
hyp_unstored_take() {
  _hyp_take_nl='
'
  _hyp_take_facts=${1%%"$_hyp_take_nl"*}
  _hyp_take_rest=${1#*"$_hyp_take_nl"}
  # shellcheck disable=SC2034 # read by hyp_unstored_plugin, for the summary's verdict
  hyp_unstored_gist=${_hyp_take_rest%%"$_hyp_take_nl"*}
  hyp_unstored_out=${_hyp_take_rest#*"$_hyp_take_nl"}
  hyp_unstored_out=${hyp_unstored_out%"$_hyp_take_nl."}
  # shellcheck disable=SC2086 # five words, split on purpose
  set -- $_hyp_take_facts
  hyp_exit_code=$1 hyp_unstored_late=$2 hyp_unstored_skipped=$3 hyp_http_status=$4 hyp_unstored_size=$5
  [ "$hyp_unstored_late" = 1 ] || hyp_unstored_late=
  [ "$hyp_unstored_skipped" = 1 ] || hyp_unstored_skipped=
  [ "$hyp_http_status" != - ] || hyp_http_status=
}

# hyp_unstored_running: is a run that a probe of this config started without a state folder
# still going, or waiting out its cooldown? Such a run, and all it starts, has
# HYP_UNSTORED_RUN=<config hash> in its environment, which /proc shows to the same user.
hyp_unstored_running() {
  cat /proc/[0-9]*/environ 2>/dev/null | tr '\000' '\n' | grep -q -x -F "HYP_UNSTORED_RUN=$HYP_CONFIG_HASH"
}

# hyp_unstored_linger STARTED_MS: a probe's run without a state folder stays until the cooldown
# since STARTED_MS is over: while it is there, the next probe failure starts no run.
hyp_unstored_linger() {
  hyp_now_ms
  _hyp_linger_ms=$((${HYP_COOLDOWN_MS:-0} - (hyp_ms - $1)))
  [ "$_hyp_linger_ms" -le 0 ] || sleep $(((_hyp_linger_ms + 999) / 1000))
}
