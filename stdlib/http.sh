# hypothecary prebuilt: HTTP
# summary: Requests a URL and checks the status of the answer, and optionally how fast it came and what its body says.
# reports: the status and how long it took (against the latency budget, if any) and whether the body matched; when no answer came, the stage that failed (DNS, connect, TLS, proxy, timeout).
# function: hyp_prebuilt_http
# requires: plugin-api lib/net
# param url: string, required -- the http:// or https:// URL to request; redirects are not followed, a 3xx is the answer
# param method: string = GET, one of GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH -- the request method (POST, PUT and PATCH send an empty body)
# param status: string = 2xx -- accepted statuses: classes (2xx), codes (204), ranges (200-299), or a comma-separated list of them
# param timeout: duration = 5s -- gives up after this long, whatever the stage
# param insecure: boolean = false -- skip TLS certificate verification
# param latency: duration = "" -- the latency budget: an answer slower than this fails, whatever its status; empty: no budget
# param body: string = "" -- an extended regular expression (grep -E) that some line of the response body must match; empty: the body is not checked
# param headers: list = "" -- request headers, each "Name: value"; they never appear on a command line (see below)
# param proxy: string = "" -- empty: the proxy the environment sets (https_proxy, http_proxy, no_proxy), as the tool reads it; direct: no proxy at all; a URL (http://[user:password@]host:port): that proxy, whatever the environment says
#
# Works with curl, GNU wget or busybox wget, whichever is found first. Exits 0 on an accepted
# status (within the budget, with a matching body), 1 on anything else or when no answer came,
# 2 on a parameter it cannot use.
# What each tool can do:
#   - curl: everything. Headers and a proxy reach it through a 0600 config file (curl -K).
#   - GNU wget: everything. Headers and a proxy reach it through a 0600 wgetrc (--config, which
#     replaces ~/.wgetrc for the request). It reads only the lowercase proxy variables.
#   - busybox wget: GET and POST only; it follows redirects (its first answer counts); it uses
#     http_proxy for http:// URLs only (never a proxy for https://, never no_proxy); and it takes
#     headers only on its command line, where every user on the host can read them (ps): a
#     header whose name looks like a credential (Authorization, Cookie, *token*, *key*,
#     *secret*, *auth*, *pass*, *session*) is never sent that way, and the check is skipped.
# Whatever cannot be done with the tool found is skipped with the reason, never half done.
# The body is matched with grep -E (or busybox grep; else awk, whose ERE may lack {n,m} in mawk),
# line by line, from the file the tool wrote: it is never held in a shell variable.

# hyp_prebuilt_http: checks hyp_arg_url (see the header). Prints one line, for example
#   HTTP GET http://127.0.0.1:8080/healthz -> 200 in 12 ms
#   HTTP GET http://127.0.0.1:8080/healthz -> 503 (expected 2xx) in 12 ms
#   HTTP GET http://127.0.0.1:8080/healthz -> 200 in 1530 ms (budget 500ms)
#   HTTP GET http://127.0.0.1:8080/healthz -> 200 in 12 ms, but the body does not match "ok"
#   HTTP GET http://127.0.0.1:8080/healthz -> connect: connection refused
# then detail lines (the start of a body that did not match, the proxy used), and records the
# status with hyp_http_status whether it is accepted or not.
# shellcheck disable=SC2154 # the hyp_net_* results are set by lib/net
hyp_prebuilt_http() {
  _hyp_prebuilt_http_method=${hyp_arg_method:-GET}
  _hyp_prebuilt_http_expect=${hyp_arg_status:-2xx}
  _hyp_prebuilt_http_timeout=${hyp_arg_timeout:-5}
  _hyp_prebuilt_http_insecure=${hyp_arg_insecure-}
  _hyp_prebuilt_http_latency=${hyp_arg_latency-}
  _hyp_prebuilt_http_body=${hyp_arg_body-}
  _hyp_prebuilt_http_proxy=${hyp_arg_proxy-}
  # The compiler validates the parameters; these checks are for a runner edited by hand.
  case $_hyp_prebuilt_http_method in
    GET | HEAD | POST | PUT | DELETE | OPTIONS | PATCH) ;;
    *)
      printf 'HTTP: method "%s" is not one of GET HEAD POST PUT DELETE OPTIONS PATCH\n' "$_hyp_prebuilt_http_method"
      return 2
      ;;
  esac
  if ! hyp_net_url_parse "${hyp_arg_url-}"; then
    printf 'HTTP %s "%s": not an http:// or https:// URL\n' "$_hyp_prebuilt_http_method" "${hyp_arg_url-}"
    return 2
  fi
  _hyp_prebuilt_http_ok=0
  hyp_net_status_accepted 200 "$_hyp_prebuilt_http_expect" || _hyp_prebuilt_http_ok=$?
  if [ "$_hyp_prebuilt_http_ok" -eq 2 ]; then
    printf 'HTTP: status "%s" is not a list of classes (2xx), codes (204) or ranges (200-299)\n' "$_hyp_prebuilt_http_expect"
    return 2
  fi
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_http_timeout"; then
    printf 'HTTP: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_http_timeout"
    return 2
  fi
  _hyp_prebuilt_http_budget=
  if [ -n "$_hyp_prebuilt_http_latency" ]; then
    if ! hyp_net_secs_ms "$_hyp_prebuilt_http_latency"; then
      printf 'HTTP: latency "%s" is not a number of seconds\n' "$_hyp_prebuilt_http_latency"
      return 2
    fi
    _hyp_prebuilt_http_budget=$hyp_net_msecs
  fi
  if [ -n "$_hyp_prebuilt_http_body" ] && [ "$_hyp_prebuilt_http_method" = HEAD ]; then
    printf 'HTTP: an answer to HEAD has no body to match "%s" against\n' "$_hyp_prebuilt_http_body"
    return 2
  fi
  if ! hyp_net_http_options "${hyp_arg_headers-}" "$_hyp_prebuilt_http_proxy"; then
    printf 'HTTP: %s\n' "$hyp_net_bad"
    return 2
  fi
  case $_hyp_prebuilt_http_proxy in
    '') _hyp_prebuilt_http_via= ;;
    direct) _hyp_prebuilt_http_via=' (no proxy)' ;;
    *)
      hyp_net_mask_url "$_hyp_prebuilt_http_proxy"
      _hyp_prebuilt_http_via=" via proxy $hyp_net_masked"
      ;;
  esac

  hyp_net_http_tool "$_hyp_prebuilt_http_method" "$hyp_arg_url" || hyp_skip "$hyp_net_missing"
  hyp_net_http_request "$_hyp_prebuilt_http_method" "$hyp_arg_url" "$_hyp_prebuilt_http_timeout" \
    "$_hyp_prebuilt_http_insecure"

  printf 'HTTP %s %s%s -> ' "$_hyp_prebuilt_http_method" "$hyp_net_url_shown" "$_hyp_prebuilt_http_via"
  _hyp_prebuilt_http_rc=1
  _hyp_prebuilt_http_show_body=
  if [ -n "$hyp_net_http_code" ]; then
    hyp_http_status "$hyp_net_http_code"
    _hyp_prebuilt_http_ok=0
    hyp_net_status_accepted "$hyp_net_http_code" "$_hyp_prebuilt_http_expect" || _hyp_prebuilt_http_ok=$?
    if [ "$hyp_net_stage" != ok ]; then
      # The status came, then the transfer failed (a body cut off or too slow).
      printf '%s, then ' "$hyp_net_http_code"
      hyp_net_stage_say
      printf '\n'
    else
      if [ "$_hyp_prebuilt_http_ok" -eq 0 ]; then
        printf '%s in %s ms' "$hyp_net_http_code" "$hyp_net_elapsed_ms"
        _hyp_prebuilt_http_rc=0
      else
        printf '%s (expected %s) in %s ms' "$hyp_net_http_code" "$_hyp_prebuilt_http_expect" "$hyp_net_elapsed_ms"
      fi
      if [ -n "$_hyp_prebuilt_http_budget" ] && [ "$hyp_net_elapsed_ms" -gt "$_hyp_prebuilt_http_budget" ]; then
        if [ $((_hyp_prebuilt_http_budget % 1000)) -eq 0 ]; then
          printf ' (budget %ss)' "$((_hyp_prebuilt_http_budget / 1000))"
        else
          printf ' (budget %sms)' "$_hyp_prebuilt_http_budget"
        fi
        _hyp_prebuilt_http_rc=1
      fi
      # The body counts only for an accepted status: a 503 page is not the answer expected.
      if [ -n "$_hyp_prebuilt_http_body" ] && [ "$_hyp_prebuilt_http_ok" -eq 0 ]; then
        _hyp_prebuilt_http_match
        case $_hyp_prebuilt_http_matched in
          0) printf ', body matches "%s"' "$_hyp_prebuilt_http_body" ;;
          1)
            printf ', but the body does not match "%s"' "$_hyp_prebuilt_http_body"
            _hyp_prebuilt_http_rc=1 _hyp_prebuilt_http_show_body=1
            ;;
          *)
            printf ', but "%s" is not an extended regular expression' "$_hyp_prebuilt_http_body"
            _hyp_prebuilt_http_rc=2
            ;;
        esac
      fi
      printf '\n'
    fi
  else
    hyp_net_stage_say
    printf '\n'
  fi
  [ -n "$_hyp_prebuilt_http_show_body" ] && _hyp_prebuilt_http_body_start
  # The proxy the environment chose, when it chose one: a 403 may be the proxy's.
  if [ -z "$_hyp_prebuilt_http_proxy" ]; then
    hyp_net_env_proxy "$hyp_net_scheme" "$hyp_net_host" "$hyp_net_port"
    if [ -n "$hyp_net_no_proxy_entry" ]; then
      printf 'proxy: none (no_proxy entry "%s" matches %s)\n' "$hyp_net_no_proxy_entry" "$hyp_net_host"
    elif [ -n "$hyp_net_proxy_var" ]; then
      hyp_net_mask_url "$hyp_net_proxy_url"
      if [ "$hyp_net_tool" = busybox-wget ] && [ "$hyp_net_scheme" = https ]; then
        printf 'note: %s is %s, but busybox wget uses no proxy for https:// URLs: this request went direct\n' \
          "$hyp_net_proxy_var" "$hyp_net_masked"
      else
        printf 'proxy: %s (from %s)\n' "$hyp_net_masked" "$hyp_net_proxy_var"
      fi
    fi
    [ -n "$hyp_net_proxy_note" ] && printf 'note: %s\n' "$hyp_net_proxy_note"
  fi
  # busybox wget verifies certificates only through an `openssl` on PATH; its built-in TLS says
  # it does not, and so do we.
  if [ "$hyp_net_tool" = busybox-wget ] && [ "$hyp_net_scheme" = https ] && [ -z "$_hyp_prebuilt_http_insecure" ] &&
    awk '/validation not implemented/ { found = 1; exit } END { exit !found }' "$HYP_PLUGIN_DIR/net-err"; then
    printf 'note: the TLS certificate was not verified (busybox wget without openssl cannot)\n'
  fi
  return "$_hyp_prebuilt_http_rc"
}

# _hyp_prebuilt_http_match: whether some line of $HYP_PLUGIN_DIR/net-body matches the ERE
# hyp_arg_body. Sets _hyp_prebuilt_http_matched to 0 (it does), 1 (it does not) or 2 (the
# expression is not valid). grep -E when there is one (busybox's too), else awk reading the
# expression from a file (an awk -v value would have its backslashes eaten).
_hyp_prebuilt_http_match() {
  _hyp_prebuilt_http_matched=0
  [ -f "$HYP_PLUGIN_DIR/net-body" ] || : >"$HYP_PLUGIN_DIR/net-body"
  if hyp_have grep; then
    LC_ALL=C grep -E -q -e "$_hyp_prebuilt_http_body" "$HYP_PLUGIN_DIR/net-body" 2>/dev/null ||
      _hyp_prebuilt_http_matched=$?
  elif hyp_have busybox && busybox grep --help >/dev/null 2>&1; then
    LC_ALL=C busybox grep -E -q -e "$_hyp_prebuilt_http_body" "$HYP_PLUGIN_DIR/net-body" 2>/dev/null ||
      _hyp_prebuilt_http_matched=$?
  else
    printf '%s\n' "$_hyp_prebuilt_http_body" >"$HYP_PLUGIN_DIR/net-regex"
    LC_ALL=C awk '
      NR == FNR { re = (FNR == 1 ? $0 : re "\n" $0); next }
      $0 ~ re { found = 1; exit }
      END { exit found ? 0 : 1 }
    ' "$HYP_PLUGIN_DIR/net-regex" "$HYP_PLUGIN_DIR/net-body" 2>/dev/null || _hyp_prebuilt_http_matched=$?
  fi
  [ "$_hyp_prebuilt_http_matched" -le 1 ] || _hyp_prebuilt_http_matched=2
}

# _hyp_prebuilt_http_body_start: prints the first lines of the body (at most 5, each cut at
# 200 characters, control characters as ?), and how much more there was.
_hyp_prebuilt_http_body_start() {
  LC_ALL=C awk '
    NR <= 5 {
      line = $0
      sub(/\r$/, "", line)
      gsub(/[^ -~]/, "?", line)
      if (length(line) > 200) line = substr(line, 1, 200) "..."
      shown[NR] = line
    }
    END {
      if (NR == 0) { print "body: (empty)"; exit }
      print "body" (NR > 5 ? " (first 5 of " NR " lines)" : "") ":"
      for (i = 1; i <= NR && i <= 5; i++) print "  | " shown[i]
    }
  ' "$HYP_PLUGIN_DIR/net-body"
}
