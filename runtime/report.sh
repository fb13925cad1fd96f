# hypothecary runtime: report
# requires: redact report-text bounded
# The JSON-lines report of SPEC.md: one `result` object per plugin, then a `summary`. Every line
# is built by awk from files, never from command output held in variables (NUL and invalid
# UTF-8 would be lost or cut); plugin output is capped before escaping so each line stays well
# under the 4 KiB a container runtime writes in one piece. Plugin text is redacted
# (runtime/redact.sh) before anything else is done with it.

# hyp_json_awk: awk functions shared by the report programs. Under LC_ALL=C awk sees bytes;
# json_escape validates UTF-8 itself and writes U+FFFD for every byte that is not part of a
# well-formed sequence, so each line is valid JSON whatever the plugin printed.
hyp_json_awk='
function json_init(i) { for (i = 1; i < 256; i++) json_byte[sprintf("%c", i)] = i }
function json_escape(s, budget,    out, i, n, c, b, len, j, ok, b2) {
  out = ""; n = length(s); i = 1; json_cut = 0
  while (i <= n) {
    if (budget && length(out) >= budget) { json_cut = 1; break }
    c = substr(s, i, 1); b = json_byte[c]
    if (b < 128) {
      if (c == "\"") out = out "\\\""
      else if (c == "\\") out = out "\\\\"
      else if (b == 10) out = out "\\n"
      else if (b == 13) out = out "\\r"
      else if (b == 9) out = out "\\t"
      else if (b < 32 || b == 127) out = out sprintf("\\u%04x", b)
      else out = out c
      i++
      continue
    }
    len = (b >= 194 && b <= 223) ? 2 : (b >= 224 && b <= 239) ? 3 : (b >= 240 && b <= 244) ? 4 : 0
    ok = len > 0
    for (j = 1; ok && j < len; j++) { b2 = json_byte[substr(s, i + j, 1)]; if (b2 < 128 || b2 > 191) ok = 0 }
    if (ok) {
      b2 = json_byte[substr(s, i + 1, 1)]
      if ((b == 224 && b2 < 160) || (b == 237 && b2 > 159) || (b == 240 && b2 < 144) || (b == 244 && b2 > 143)) ok = 0
    }
    if (ok) { out = out (json_ascii ? json_u(s, i, len) : substr(s, i, len)); i += len } else { out = out "\\ufffd"; i++ }
  }
  return out
}
# json_u: the UTF-8 sequence at s[i..i+len-1] as \uXXXX escapes (a surrogate pair above U+FFFF),
# when json_ascii is set: what a shell variable must hold is plain ASCII (yash, C locale).
function json_u(s, i, len,    cp, j) {
  cp = json_byte[substr(s, i, 1)] - (len == 2 ? 192 : len == 3 ? 224 : 240)
  for (j = 1; j < len; j++) cp = cp * 64 + json_byte[substr(s, i + j, 1)] - 128
  if (cp < 65536) return sprintf("\\u%04x", cp)
  cp -= 65536
  return sprintf("\\u%04x\\u%04x", 55296 + int(cp / 1024), 56320 + cp % 1024)
}
function json_string(s) { return "\"" json_escape(s, 0) "\"" }
function json_number_or_null(s) { return s == "" ? "null" : s + 0 }
function json_words(s,    n, w, i, out) {
  n = split(s, w, " "); out = ""
  for (i = 1; i <= n; i++) out = out (i > 1 ? "," : "") json_string(w[i])
  return "[" out "]"
}
'

# Raw output bytes kept per plugin; escaped, the field stays under about 2.5 KiB.
HYP_OUTPUT_CAP=2048

# hyp_report_result N: reports plugin N from hyp_status, hyp_responses, hyp_exit_code,
# hyp_http_status, hyp_duration_ms and its output: the file `out` in its folder, or, in a run
# without a state folder (runtime/unstored.sh), hyp_unstored_out (already escaped) and
# hyp_unstored_size. Also keeps the output's gist in `gist` for the summary's verdict: a
# prebuilt's first line (its summary, by contract), else the last line, where commands put
# their error (`curl: (6) Could not resolve host: ...`). Progress meters that redraw with CR
# keep only their last state.
hyp_report_result() {
  hyp_get "_hyp_parent_name_$1"
  _hyp_result_parent=$hyp_value
  if [ -n "${hyp_unstored:-}" ]; then
    hyp_emit_line "$(hyp_result_line "$hyp_unstored_size" '' "$hyp_unstored_out" </dev/null)"
    return 0
  fi
  _hyp_result_dir="$hyp_scratch/p$1"
  # Read past the cap, so that a secret the cap cuts through is still redacted whole.
  dd if="$_hyp_result_dir/out" bs=$((HYP_OUTPUT_CAP + HYP_REDACT_SLACK)) count=1 2>/dev/null | tr '\000' '\377' |
    hyp_result_line "$(wc -c <"$_hyp_result_dir/out")" "$_hyp_result_dir/gist" >"$_hyp_result_dir/line"
  hyp_emit "$_hyp_result_dir/line"
}

# hyp_result_line SIZE GIST_FILE [ESCAPED]: the result line of the plugin loaded, its output on
# stdin (SIZE bytes in all; its gist written to GIST_FILE), or given already escaped as ESCAPED.
hyp_result_line() {
  HYPJ_SERVICE=$HYP_SERVICE HYPJ_RUN_ID=$HYP_RUN_ID HYPJ_TRIGGER=$HYP_TRIGGER \
    HYPJ_PLUGIN=$hyp_name HYPJ_TYPE=$hyp_type HYPJ_PARENT=$_hyp_result_parent \
    HYPJ_STATUS=$hyp_status HYPJ_RESPONSES=$hyp_responses HYPJ_EXIT=$hyp_exit_code \
    HYPJ_HTTP=$hyp_http_status HYPJ_DURATION=$hyp_duration_ms HYPJ_SIZE=$1 HYPJ_CAP=$HYP_OUTPUT_CAP \
    HYPJ_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ) HYPJ_FORMAT=$HYP_REPORT_FORMAT HYPJ_GIST=$2 \
    HYPJ_ESCAPED=${3-} HYPJ_GIVEN=${3+1} HYPJ_REDACT=${HYP_REPORT_REDACT:-} \
      awk "$hyp_json_awk$hyp_redact_awk$hyp_text_awk"'
      { text = text (NR > 1 ? "\n" : "") $0 }
      END {
        json_init()
        e = ENVIRON["HYPJ_SIZE"] + 0
        # Given escaped, the line is for a shell variable: all of it ASCII (and redacted, and for
        # the text format already the text of the plugin line).
        json_ascii = ENVIRON["HYPJ_GIVEN"] != ""
        if (json_ascii) out = ENVIRON["HYPJ_ESCAPED"]
        else {
          # Redacted, then cut: a secret the cap goes through is hidden whole.
          text = substr(redact(text), 1, ENVIRON["HYPJ_CAP"])
          gist = text_gist(text, ENVIRON["HYPJ_TYPE"] == "prebuilt")
          if (gist != "" && ENVIRON["HYPJ_GIST"] != "") print gist > ENVIRON["HYPJ_GIST"]
          if (ENVIRON["HYPJ_FORMAT"] == "text") out = text_first(text)
          else {
            out = json_escape(text, 2400)
            if (json_cut || e > ENVIRON["HYPJ_CAP"] + 0) out = out " [truncated: " e " bytes in all]"
          }
        }
        if (ENVIRON["HYPJ_FORMAT"] == "text") {
          line = sprintf("%-7s %s (%s, %s ms", toupper(ENVIRON["HYPJ_STATUS"]), ENVIRON["HYPJ_PLUGIN"], ENVIRON["HYPJ_TYPE"], ENVIRON["HYPJ_DURATION"])
          if (ENVIRON["HYPJ_EXIT"] != "") line = line ", exit " ENVIRON["HYPJ_EXIT"]
          if (ENVIRON["HYPJ_HTTP"] != "") line = line ", http " ENVIRON["HYPJ_HTTP"]
          if (ENVIRON["HYPJ_PARENT"] != "") line = line ", after " ENVIRON["HYPJ_PARENT"]
          printf "%s): %s\n", line, out
          exit
        }
        printf "{\"event\":\"result\",\"service\":%s,\"run_id\":%s,\"trigger\":%s,\"plugin\":%s,\"type\":%s,",
          json_string(ENVIRON["HYPJ_SERVICE"]), json_string(ENVIRON["HYPJ_RUN_ID"]), json_string(ENVIRON["HYPJ_TRIGGER"]),
          json_string(ENVIRON["HYPJ_PLUGIN"]), json_string(ENVIRON["HYPJ_TYPE"])
        printf "\"parent\":%s,\"status\":%s,\"responses\":%s,\"exit_code\":%s,\"http_status\":%s,",
          (ENVIRON["HYPJ_PARENT"] == "" ? "null" : json_string(ENVIRON["HYPJ_PARENT"])), json_string(ENVIRON["HYPJ_STATUS"]),
          json_words(ENVIRON["HYPJ_RESPONSES"]), json_number_or_null(ENVIRON["HYPJ_EXIT"]), json_number_or_null(ENVIRON["HYPJ_HTTP"])
        printf "\"duration_ms\":%d,\"output\":\"%s\",\"ts\":%s}\n", ENVIRON["HYPJ_DURATION"], out, json_string(ENVIRON["HYPJ_TS"])
      }'
}

# hyp_report_unreached: reports as `skipped` each plugin below the run's roots that no matching
# conditional reached, so the report accounts for the whole chain.
hyp_report_unreached() {
  _hyp_unreached_todo=$hyp_selected
  _hyp_unreached_seen=' '
  while [ -n "$_hyp_unreached_todo" ]; do
    # shellcheck disable=SC2086 # plugin numbers, split on purpose
    set -- $_hyp_unreached_todo
    _hyp_unreached_i=$1
    shift
    _hyp_unreached_todo=$*
    case $_hyp_unreached_seen in *" $_hyp_unreached_i "*) continue ;; esac
    _hyp_unreached_seen="$_hyp_unreached_seen$_hyp_unreached_i "
    "hyp_plugin_$_hyp_unreached_i"
    for _hyp_unreached_edge in $hyp_edges; do
      [ "${_hyp_unreached_edge#*:}" = - ] || _hyp_unreached_todo="$_hyp_unreached_todo ${_hyp_unreached_edge#*:}"
    done
    hyp_get "_hyp_state_$_hyp_unreached_i"
    [ -z "$hyp_value" ] || continue
    if [ -n "${hyp_unstored:-}" ]; then
      hyp_unstored_take "$(printf 'not run: no conditional leading to %s matched\n' "$hyp_name" | hyp_unstored_digest)"
    else
      mkdir "$hyp_scratch/p$_hyp_unreached_i" || continue
      printf 'not run: no conditional leading to %s matched\n' "$hyp_name" >"$hyp_scratch/p$_hyp_unreached_i/out"
    fi
    hyp_status=skipped hyp_responses=skipped hyp_exit_code='' hyp_http_status='' hyp_duration_ms=0
    hyp_count_total=$((hyp_count_total + 1))
    hyp_count_skipped=$((hyp_count_skipped + 1))
    hyp_report_result "$_hyp_unreached_i"
  done
}

# hyp_report_summary DURATION_MS: the closing line. Its verdict names the hypotheses the run
# confirmed: the deepest failing plugin of each chain (a failing plugin none of whose
# descendants failed), in the words of its `hypothesis`, with the gist of what it printed; then
# those it ruled out: the plugins that passed. Both in declaration order, whatever order the
# plugins ended in.
hyp_report_summary() {
  for _hyp_summary_i in $hyp_ran; do
    hyp_get "_hyp_status_$_hyp_summary_i"
    case $hyp_value in fail | timeout | error) ;; *) continue ;; esac
    # Every ancestor of a failure is shadowed; one already shadowed has its own marked.
    hyp_get "_hyp_parent_$_hyp_summary_i"
    while [ "${hyp_value:-0}" != 0 ]; do
      _hyp_summary_up=$hyp_value
      hyp_get "_hyp_shadowed_$_hyp_summary_up"
      [ -z "$hyp_value" ] || break
      eval "_hyp_shadowed_$_hyp_summary_up=1"
      hyp_get "_hyp_parent_$_hyp_summary_up"
    done
  done
  _hyp_summary_list=
  _hyp_summary_passed=
  _hyp_summary_i=1
  while [ "$_hyp_summary_i" -le "$HYP_PLUGIN_COUNT" ]; do
    hyp_get "_hyp_status_$_hyp_summary_i"
    case $hyp_value in
      pass) _hyp_summary_passed="$_hyp_summary_passed $_hyp_summary_i" ;;
      fail | timeout | error)
        hyp_get "_hyp_shadowed_$_hyp_summary_i"
        [ -n "$hyp_value" ] || _hyp_summary_list="$_hyp_summary_list $_hyp_summary_i"
        ;;
    esac
    _hyp_summary_i=$((_hyp_summary_i + 1))
  done
  if [ -n "${hyp_unstored:-}" ]; then
    hyp_emit_line "$(hyp_summary_phrases "$_hyp_summary_list" "$_hyp_summary_passed" | hyp_summary_line "$1")"
  else
    hyp_summary_phrases "$_hyp_summary_list" "$_hyp_summary_passed" | hyp_summary_line "$1" >"$hyp_scratch/summary"
    hyp_emit "$hyp_scratch/summary"
  fi
}

# hyp_summary_phrases CONFIRMED PASSED: one verdict phrase per line, `c NAME PHRASE` for each of
# CONFIRMED (plugin numbers): its hypothesis, what happened and the gist of its output; then
# `r NAME PHRASE` for each of PASSED: the hypothesis it ruled out.
hyp_summary_phrases() {
  for _hyp_summary_i in $1; do
    "hyp_plugin_$_hyp_summary_i"
    hyp_get "_hyp_status_$_hyp_summary_i"
    case $hyp_value in
      fail) _hyp_summary_what=failed ;;
      timeout) _hyp_summary_what="timed out after $(hyp_duration_text "$hyp_timeout_ms")" ;;
      *) _hyp_summary_what='could not run' ;;
    esac
    hyp_get "_hyp_http_$_hyp_summary_i"
    [ -z "$hyp_value" ] || _hyp_summary_what="$_hyp_summary_what with HTTP $hyp_value"
    {
      printf 'c %s ' "$hyp_name"
      if [ -n "$hyp_hypothesis" ]; then
        printf '%s (%s %s' "$hyp_hypothesis" "$hyp_name" "$_hyp_summary_what"
      else
        printf '%s %s' "$hyp_name" "$_hyp_summary_what"
      fi
      hyp_get "_hyp_gist_$_hyp_summary_i"
      if [ -n "$hyp_value" ]; then
        printf ': %s' "$hyp_value"
      elif [ -s "$hyp_scratch/p$_hyp_summary_i/gist" ]; then
        printf ': '
        cat "$hyp_scratch/p$_hyp_summary_i/gist"
      fi
    } | tr -d '\n'
    [ -z "$hyp_hypothesis" ] || printf ')'
    printf '\n'
  done
  for _hyp_summary_i in $2; do
    "hyp_plugin_$_hyp_summary_i"
    if [ -n "$hyp_hypothesis" ]; then
      printf 'r %s %s (%s passed)' "$hyp_name" "$hyp_hypothesis" "$hyp_name" | tr '\n' ' '
    else
      printf 'r %s %s (passed)' "$hyp_name" "$hyp_name"
    fi
    printf '\n'
  done
}

# hyp_summary_line DURATION_MS: the summary line, from the verdict phrases on stdin. In JSON,
# `confirmed` and `ruled_out` list the plugins behind the verdict; in text, each phrase has a
# line of its own under the counts.
hyp_summary_line() {
  HYPJ_SERVICE=$HYP_SERVICE HYPJ_RUN_ID=$HYP_RUN_ID HYPJ_TRIGGER=$HYP_TRIGGER HYPJ_FORMAT=$HYP_REPORT_FORMAT \
    HYPJ_DURATION=$1 HYPJ_ASCII=${hyp_unstored:-} \
    HYPJ_COUNTS="$hyp_count_total $hyp_count_passed $hyp_count_failed $hyp_count_timed_out $hyp_count_skipped" \
    awk "$hyp_json_awk$hyp_text_awk"'
    {
      sub(/ +$/, "")
      name = substr($0, 3); sub(/ .*/, "", name)
      # Gists were redacted with the output they come from; hypotheses are the config text.
      phrase = substr($0, length(name) + 4)
      if (substr($0, 1, 1) == "c") { nc++; cp[nc] = phrase; cn = cn " " name; confirmed = confirmed (nc > 1 ? "; " : "") phrase }
      else { nr++; rp[nr] = phrase; rn = rn " " name; ruled = ruled (nr > 1 ? "; " : "") phrase }
    }
    END {
      json_init()
      json_ascii = ENVIRON["HYPJ_ASCII"] != ""
      split(ENVIRON["HYPJ_COUNTS"], n, " ")
      if (nc) verdict = "confirmed: " confirmed
      else if (n[1] == 0) verdict = "nothing ran: no plugin is triggered by " ENVIRON["HYPJ_TRIGGER"]
      else verdict = "no hypothesis confirmed: " n[2] " passed, " n[5] " skipped"
      if (ENVIRON["HYPJ_FORMAT"] == "text") {
        printf "SUMMARY %s: %d plugin%s, %d passed, %d failed, %d timed out, %d skipped in %d ms\n",
          ENVIRON["HYPJ_SERVICE"], n[1], (n[1] == 1 ? "" : "s"), n[2], n[3], n[4], n[5], ENVIRON["HYPJ_DURATION"]
        if (!nc) printf "  %s\n", verdict
        for (i = 1; i <= nc; i++) printf "  confirmed: %s\n", text_clean(cp[i], 600)
        for (i = 1; i <= nr; i++) printf "  ruled out: %s\n", text_clean(rp[i], 600)
        exit
      }
      if (nr) verdict = verdict ". ruled out: " ruled
      # The line stays under 4 KiB however many plugins there are.
      verdict = json_escape(verdict, 2000)
      if (json_cut) verdict = verdict " [...]"
      printf "{\"event\":\"summary\",\"service\":%s,\"run_id\":%s,\"trigger\":%s,", json_string(ENVIRON["HYPJ_SERVICE"]),
        json_string(ENVIRON["HYPJ_RUN_ID"]), json_string(ENVIRON["HYPJ_TRIGGER"])
      printf "\"total\":%d,\"passed\":%d,\"failed\":%d,\"timed_out\":%d,\"skipped\":%d,\"duration_ms\":%d,", n[1], n[2], n[3], n[4], n[5], ENVIRON["HYPJ_DURATION"]
      printf "\"verdict\":\"%s\",\"confirmed\":%s,\"ruled_out\":%s}\n", verdict, json_words(substr(cn, 2)), json_words(substr(rn, 2))
    }'
}

# hyp_report_suppressed: when probe failures started no run (this one was going on, or the
# cooldown held since the last), says how many and why, in one line, and counts afresh.
hyp_report_suppressed() {
  [ -n "${hyp_state:-}" ] && [ -s "$hyp_state/suppressed" ] || return 0
  mv "$hyp_state/suppressed" "$hyp_scratch/suppressed" 2>/dev/null || return 0
  HYPJ_SERVICE=$HYP_SERVICE HYPJ_RUN_ID=$HYP_RUN_ID HYPJ_TRIGGER=$HYP_TRIGGER HYPJ_FORMAT=$HYP_REPORT_FORMAT awk "$hyp_json_awk"'
    { count++; why[$0]++ }
    END {
      json_init()
      for (w in why) reasons = reasons (reasons == "" ? "" : "; ") why[w] " " w
      if (ENVIRON["HYPJ_FORMAT"] == "text") { printf "SUPPRESSED %d probe failure%s started no run: %s\n", count, (count > 1 ? "s" : ""), reasons; exit }
      printf "{\"event\":\"suppressed\",\"service\":%s,\"run_id\":%s,\"trigger\":%s,\"count\":%d,\"reasons\":%s}\n",
        json_string(ENVIRON["HYPJ_SERVICE"]), json_string(ENVIRON["HYPJ_RUN_ID"]), json_string(ENVIRON["HYPJ_TRIGGER"]),
        count, json_string(reasons)
    }' "$hyp_scratch/suppressed" >"$hyp_scratch/suppressed.line"
  hyp_emit "$hyp_scratch/suppressed.line"
}

# hyp_emit FILE: writes one report line to its destinations. A foreground run writes to stdout
# and to the configured `stderr` and `file:PATH`; a detached run (a probe's) to every configured
# destination, `container-log` first among them. A container log that cannot be written (another
# user's, a socket, missing) falls back to stderr, or for a detached run to report.jsonl in the
# state folder, and the report says so once.
hyp_emit() {
  [ -n "${HYP_DETACHED:-}" ] || hyp_emit_cat "$1"
  # Kept for the sinks (runtime/sinks.sh), which get the run's lines once the report is out.
  [ -z "${hyp_sink_lines:-}" ] || hyp_emit_cat "$1" >>"$hyp_sink_lines"
  set -f
  _hyp_emit_ifs=$IFS
  IFS='
'
  for _hyp_emit_to in $HYP_REPORT_TO; do
    case $_hyp_emit_to in
      container-log) [ -z "${HYP_DETACHED:-}" ] || hyp_emit_container_log "$1" ;;
      stdout) [ -z "${HYP_DETACHED:-}" ] || hyp_emit_cat "$1" ;;
      stderr) hyp_emit_cat "$1" >&2 ;;
      file:*)
        hyp_emit_cat "$1" >>"${_hyp_emit_to#file:}" 2>/dev/null ||
          printf 'hypothecary: cannot append the report to %s\n' "${_hyp_emit_to#file:}" >&2
        ;;
    esac
  done
  IFS=$_hyp_emit_ifs
  set +f
}

# hyp_emit_line LINE: hyp_emit for a line held in a variable (where there is no folder for a
# file): LINE is then ASCII, escaped by awk.
hyp_emit_line() {
  hyp_emit_text=$1
  hyp_emit -
}

# hyp_emit_cat FILE: the line to emit: FILE's, or for `-` hyp_emit_text.
hyp_emit_cat() {
  if [ "$1" = - ]; then printf '%s\n' "$hyp_emit_text"; else cat "$1"; fi
}

# hyp_emit_container_log FILE: appends the line to the container log (HYP_CONTAINER_LOG,
# default /proc/1/fd/1: PID 1's stdout, which `kubectl logs` shows).
hyp_emit_container_log() {
  if [ -z "${hyp_log_fallback:-}" ]; then
    hyp_log_write "$1" && return 0
    hyp_log_fallback=stderr
    [ -z "${HYP_DETACHED:-}" ] || [ -z "${hyp_state:-}" ] || hyp_log_fallback="$hyp_state/report.jsonl"
    _hyp_emit_line=${hyp_emit_text-}
    hyp_emit_text=$(hyp_notice_line "cannot write the container log ${HYP_CONTAINER_LOG:-/proc/1/fd/1}; the report goes to $hyp_log_fallback")
    hyp_emit_fallback -
    hyp_emit_text=$_hyp_emit_line
  fi
  hyp_emit_fallback "$1"
}

# hyp_log_write FILE: appends the line to the container log; false when it cannot. Writing to
# a pipe or FIFO that no one reads (a log collector that died, or stopped reading) waits for
# ever, and the run with it, holding the probe's lock: there each line is written under a
# one-second deadline (runtime/bounded.sh; its watchdog costs a fork, not a wait).
hyp_log_write() {
  if [ ! -p "${HYP_CONTAINER_LOG:-/proc/1/fd/1}" ]; then
    hyp_log_append "$1"
    return
  fi
  # The watchdog signals this shell, which may be a subshell (a detached run).
  hyp_bounded_here
  hyp_bounded 1 hyp_log_append "$1"
}

hyp_log_append() {
  # 2>/dev/null first: a redirection that fails reports before later ones apply.
  hyp_emit_cat "$1" 2>/dev/null >>"${HYP_CONTAINER_LOG:-/proc/1/fd/1}"
}

hyp_emit_fallback() {
  if [ "$hyp_log_fallback" = stderr ]; then hyp_emit_cat "$1" >&2; else hyp_emit_cat "$1" >>"$hyp_log_fallback"; fi
}

# hyp_notice_line MESSAGE: a `notice` line of the report, in ASCII.
hyp_notice_line() {
  HYPJ_SERVICE=$HYP_SERVICE HYPJ_RUN_ID=$HYP_RUN_ID HYPJ_MESSAGE=$1 HYPJ_FORMAT=$HYP_REPORT_FORMAT \
    HYPJ_REDACT=${HYP_REPORT_REDACT:-} awk "$hyp_json_awk$hyp_redact_awk$hyp_text_awk"'BEGIN {
      json_init()
      json_ascii = 1
      message = redact(ENVIRON["HYPJ_MESSAGE"])
      if (ENVIRON["HYPJ_FORMAT"] == "text") { printf "NOTICE  %s\n", text_clean(message, 1000); exit }
      printf "{\"event\":\"notice\",\"service\":%s,\"run_id\":%s,\"message\":%s}\n",
        json_string(ENVIRON["HYPJ_SERVICE"]), json_string(ENVIRON["HYPJ_RUN_ID"]), json_string(message)
    }'
}
