# hypothecary runtime: plugin-api
# What prebuilt plugins may call. A prebuilt runs in a subshell of the runner with
# HYP_PLUGIN_DIR set to a private, writable folder (empty only where nothing can be written:
# runtime/unstored.sh); its stdout and stderr become the report's `output`, whose first line
# should say what was checked and what the answer was.

# hyp_have TOOL: true when TOOL can be run (a builtin, a function or a program on PATH).
hyp_have() {
  command -v "$1" >/dev/null 2>&1
}

# hyp_skip REASON: the check cannot run here (a tool is missing, nothing to check): says why and
# ends the plugin as `skipped`, which is neither a pass nor a failure.
hyp_skip() {
  printf 'skipped: %s\n' "$1"
  hyp_plugin_mark skipped
  exit 0
}

# hyp_http_status CODE: records an HTTP status the plugin observed; the last one recorded is the
# plugin's `http_status` and drives the http_2xx ... http_5xx responses.
hyp_http_status() {
  hyp_plugin_mark http "$1"
}

# hyp_plugin_mark WHAT [VALUE]: tells the runner a fact about the plugin's run: in a file of its
# folder, or, in a run without a state folder (HYP_PLUGIN_DIR empty), as a line of its output
# that starts with the RS character, which the runner takes out again (runtime/unstored.sh).
hyp_plugin_mark() {
  if [ -n "${HYP_PLUGIN_DIR:-}" ]; then
    printf '%s\n' "${2-}" >>"$HYP_PLUGIN_DIR/$1"
  else
    printf '\036%s %s\n' "$1" "${2-}"
  fi
}
