# hypothecary prebuilt: HTTP
# summary: Requests a URL and checks the status of the answer.
# reports: the status and how long it took; when no answer came, the stage that failed (DNS, connect, TLS, timeout).
# function: hyp_prebuilt_http
# requires: plugin-api lib/net
# param url: string, required -- the http:// or https:// URL to request; redirects are not followed, a 3xx is the answer
# param method: string = GET, one of GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH -- the request method (POST, PUT and PATCH send an empty body)
# param status: string = 2xx -- accepted statuses: classes (2xx), codes (204), ranges (200-299), or a comma-separated list of them
# param timeout: duration = 5s -- gives up after this long, whatever the stage
# param insecure: boolean = false -- skip TLS certificate verification
#
# Works with curl, GNU wget or busybox wget, whichever is found first (busybox wget sends GET and
# POST only). Exits 0 on an accepted status, 1 on any other status or when no answer came, 2 on
# a parameter it cannot use.

# hyp_prebuilt_http: checks hyp_arg_url (see the header). Prints one line, for example
#   HTTP GET http://127.0.0.1:8080/healthz -> 503 (expected 2xx) in 12 ms
#   HTTP GET http://127.0.0.1:8080/healthz -> connect: connection refused
# and records the status with hyp_http_status whether it is accepted or not.
# shellcheck disable=SC2154 # the hyp_net_* results are set by lib/net
hyp_prebuilt_http() {
  _hyp_prebuilt_http_method=${hyp_arg_method:-GET}
  _hyp_prebuilt_http_expect=${hyp_arg_status:-2xx}
  _hyp_prebuilt_http_timeout=${hyp_arg_timeout:-5}
  _hyp_prebuilt_http_insecure=${hyp_arg_insecure-}
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

  hyp_net_http_tool "$_hyp_prebuilt_http_method" || hyp_skip "$hyp_net_missing"
  hyp_net_http_request "$_hyp_prebuilt_http_method" "$hyp_arg_url" "$_hyp_prebuilt_http_timeout" \
    "$_hyp_prebuilt_http_insecure"

  printf 'HTTP %s %s -> ' "$_hyp_prebuilt_http_method" "$hyp_net_url_shown"
  _hyp_prebuilt_http_rc=1
  if [ -n "$hyp_net_http_code" ]; then
    hyp_http_status "$hyp_net_http_code"
    _hyp_prebuilt_http_ok=0
    hyp_net_status_accepted "$hyp_net_http_code" "$_hyp_prebuilt_http_expect" || _hyp_prebuilt_http_ok=$?
    if [ "$hyp_net_stage" != ok ]; then
      # The status came, then the transfer failed (a body cut off or too slow).
      printf '%s, then ' "$hyp_net_http_code"
      hyp_net_stage_say
      printf '\n'
    elif [ "$_hyp_prebuilt_http_ok" -eq 0 ]; then
      printf '%s in %s ms\n' "$hyp_net_http_code" "$hyp_net_elapsed_ms"
      _hyp_prebuilt_http_rc=0
    else
      printf '%s (expected %s) in %s ms\n' "$hyp_net_http_code" "$_hyp_prebuilt_http_expect" "$hyp_net_elapsed_ms"
    fi
  else
    hyp_net_stage_say
    printf '\n'
  fi
  # busybox wget verifies certificates only through an `openssl` on PATH; its built-in TLS says
  # it does not, and so do we.
  if [ "$hyp_net_tool" = busybox-wget ] && [ "$hyp_net_scheme" = https ] && [ -z "$_hyp_prebuilt_http_insecure" ] &&
    awk '/validation not implemented/ { found = 1; exit } END { exit !found }' "$HYP_PLUGIN_DIR/net-err"; then
    printf 'note: the TLS certificate was not verified (busybox wget without openssl cannot)\n'
  fi
  return "$_hyp_prebuilt_http_rc"
}
