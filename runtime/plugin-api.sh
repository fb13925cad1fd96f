# hypothecary runtime: plugin-api
# What prebuilt plugins may call. A prebuilt runs in a subshell of the runner with
# HYP_PLUGIN_DIR set to a private, writable folder; its stdout and stderr become the report's
# `output`, whose first line should say what was checked and what the answer was.

# hyp_have TOOL: true when TOOL can be run (a builtin, a function or a program on PATH).
hyp_have() {
  command -v "$1" >/dev/null 2>&1
}

# hyp_skip REASON: the check cannot run here (a tool is missing, nothing to check): says why and
# ends the plugin as `skipped`, which is neither a pass nor a failure.
hyp_skip() {
  printf 'skipped: %s\n' "$1"
  : >"$HYP_PLUGIN_DIR/skipped"
  exit 0
}

# hyp_http_status CODE: records an HTTP status the plugin observed; the last one recorded is the
# plugin's `http_status` and drives the http_2xx ... http_5xx responses.
hyp_http_status() {
  printf '%s\n' "$1" >>"$HYP_PLUGIN_DIR/http"
}
