# hypothecary runtime: observe-http
# Shell and script plugins call plain `curl` and `wget`, as in the runbook they came from. To let
# their conditionals branch on http_2xx ... http_5xx, the run puts a folder first on their PATH
# whose `curl` and `wget` run the real tool with the user's arguments unchanged and record the
# status of each response in $HYP_PLUGIN_DIR/http. The wrappers are plain files (not functions),
# so a script's own `curl`, or an `xargs curl`, is observed too.

hyp_observe_setup() {
  hyp_observe_bin="$hyp_scratch/bin"
  mkdir "$hyp_observe_bin" || return 0
  HYP_REAL_CURL=$(command -v curl 2>/dev/null)
  HYP_REAL_WGET=$(command -v wget 2>/dev/null)
  export HYP_REAL_CURL HYP_REAL_WGET
  case $HYP_REAL_CURL in
    /*) hyp_observe_write curl <<'HYP_WRAPPER'
# curl, observed by hypothecary: -D records the response headers; the user's own -D, if any,
# comes later on the command line and wins, which only costs us the status.
_hyp_headers="$HYP_PLUGIN_DIR/curl-headers.$$"
"$HYP_REAL_CURL" -D "$_hyp_headers" "$@"
_hyp_status=$?
if [ -f "$_hyp_headers" ]; then
  awk '/^HTTP\/[0-9.]+ [0-9][0-9][0-9]/ { code = $2 } END { if (code != "") print code }' "$_hyp_headers" >>"$HYP_PLUGIN_DIR/http"
  rm -f "$_hyp_headers"
fi
exit "$_hyp_status"
HYP_WRAPPER
      ;;
  esac
  case $HYP_REAL_WGET in
    /*) hyp_observe_write wget <<'HYP_WRAPPER'
# wget, observed by hypothecary: -S prints each response's headers on stderr, indented by two
# spaces; we record the status lines and pass the rest of stderr through. The header lines are
# shown too when the user asked for -S.
_hyp_log="$HYP_PLUGIN_DIR/wget-log.$$"
_hyp_show=0
for _hyp_arg in "$@"; do
  case $_hyp_arg in -S | --server-response) _hyp_show=1 ;; esac
done
"$HYP_REAL_WGET" -S "$@" 2>"$_hyp_log"
_hyp_status=$?
awk -v show="$_hyp_show" -v http="$HYP_PLUGIN_DIR/http" '
  /^  HTTP\/[0-9.]+ [0-9][0-9][0-9]/ { print $2 >>http }
  /^  / && !show { next }
  { print }' "$_hyp_log" >&2
rm -f "$_hyp_log"
exit "$_hyp_status"
HYP_WRAPPER
      ;;
  esac
}

# hyp_observe_write NAME: the wrapper script on stdin becomes an executable NAME in the folder.
hyp_observe_write() {
  {
    printf '#!/bin/sh\n'
    cat
  } >"$hyp_observe_bin/$1" && chmod 755 "$hyp_observe_bin/$1"
}

# hyp_observed_path: the PATH a user's command runs with.
hyp_observed_path() {
  if [ -n "${hyp_observe_bin:-}" ]; then
    PATH="$hyp_observe_bin:$PATH"
    export PATH
  fi
}
