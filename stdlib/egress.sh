# hypothecary prebuilt: EGRESS
# summary: Checks that this pod reaches the outside the way it is configured to: through its proxy (https_proxy, http_proxy, no_proxy) or directly.
# reports: which hypothesis holds: no proxy and the direct connection works or fails; no_proxy excludes the host; the proxy refuses connections, does not resolve, requires authentication (407), denies the target (403), cannot reach it, or reaches it.
# function: hyp_prebuilt_egress
# requires: plugin-api lib/net
# param url: string = https://sts.amazonaws.com/ -- the outside URL to reach; any HTTP answer from it counts as reached, whatever its status
# param proxy: string = "" -- empty: the proxy the environment sets for the URL (https_proxy or HTTPS_PROXY for https://, http_proxy or HTTP_PROXY for http://, then all_proxy; no_proxy honoured); direct: none; a URL (http://[user:password@]host:port): that proxy
# param timeout: duration = 5s -- gives up after this long, whatever the stage
# param insecure: boolean = false -- skip TLS certificate verification of the target (a TLS-inspecting proxy otherwise shows as a TLS failure)
#
# The request goes through curl, GNU wget or busybox wget, with the proxy chosen here forced on
# the tool (so every tool reads the environment the same way, the way most clients do).
# busybox wget cannot use a proxy for https:// URLs: with a proxy and an https:// URL and no
# curl or GNU wget, the check is skipped. Exits 0 when the target answered, 1 when it did not,
# 2 on a parameter it cannot use. The target's status is not recorded (a 403 from it still
# means the network path works).

# hyp_prebuilt_egress: see the header. Prints one line, for example
#   EGRESS https://sts.amazonaws.com/: no proxy configured; the direct connection works (302 in 41 ms)
#   EGRESS https://sts.amazonaws.com/: the proxy http://10.0.0.5:3128 (from https_proxy) requires authentication (CONNECT answered 407)
#   EGRESS https://sts.amazonaws.com/: the proxy http://10.0.0.5:3128 (from https_proxy) reaches sts.amazonaws.com:443 (302 in 80 ms)
# shellcheck disable=SC2154 # the hyp_net_* results are set by lib/net
hyp_prebuilt_egress() {
  _hyp_prebuilt_egress_url=${hyp_arg_url:-https://sts.amazonaws.com/}
  _hyp_prebuilt_egress_timeout=${hyp_arg_timeout:-5}
  _hyp_prebuilt_egress_insecure=${hyp_arg_insecure-}
  if ! hyp_net_url_parse "$_hyp_prebuilt_egress_url"; then
    printf 'EGRESS "%s": not an http:// or https:// URL\n' "$_hyp_prebuilt_egress_url"
    return 2
  fi
  _hyp_prebuilt_egress_shown=$hyp_net_url_shown
  case $hyp_net_host in
    *:*) _hyp_prebuilt_egress_target=[$hyp_net_host]:$hyp_net_port ;;
    *) _hyp_prebuilt_egress_target=$hyp_net_host:$hyp_net_port ;;
  esac
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_egress_timeout"; then
    printf 'EGRESS %s: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_egress_shown" "$_hyp_prebuilt_egress_timeout"
    return 2
  fi

  # Which path the pod's clients take: the parameter, else the environment.
  _hyp_prebuilt_egress_proxy='' _hyp_prebuilt_egress_from='' _hyp_prebuilt_egress_excluded='' _hyp_prebuilt_egress_note=''
  case ${hyp_arg_proxy-} in
    '')
      hyp_net_env_proxy "$hyp_net_scheme" "$hyp_net_host" "$hyp_net_port"
      _hyp_prebuilt_egress_note=$hyp_net_proxy_note
      if [ -n "$hyp_net_no_proxy_entry" ]; then
        _hyp_prebuilt_egress_excluded=$hyp_net_no_proxy_entry _hyp_prebuilt_egress_from=$hyp_net_proxy_var
      elif [ -n "$hyp_net_proxy_var" ]; then
        _hyp_prebuilt_egress_proxy=$hyp_net_proxy_url _hyp_prebuilt_egress_from="from $hyp_net_proxy_var"
      fi
      ;;
    direct) _hyp_prebuilt_egress_from='the proxy parameter' ;;
    *) _hyp_prebuilt_egress_proxy=$hyp_arg_proxy _hyp_prebuilt_egress_from='the proxy parameter' ;;
  esac
  if ! hyp_net_http_options '' "${_hyp_prebuilt_egress_proxy:-direct}"; then
    printf 'EGRESS %s: %s\n' "$_hyp_prebuilt_egress_shown" "$hyp_net_bad"
    return 2
  fi
  hyp_net_mask_url "$_hyp_prebuilt_egress_proxy"
  _hyp_prebuilt_egress_p="the proxy $hyp_net_masked ($_hyp_prebuilt_egress_from)"

  hyp_net_http_tool GET "$_hyp_prebuilt_egress_url" || hyp_skip "$hyp_net_missing"
  hyp_net_http_request GET "$_hyp_prebuilt_egress_url" "$_hyp_prebuilt_egress_timeout" "$_hyp_prebuilt_egress_insecure"

  printf 'EGRESS %s: ' "$_hyp_prebuilt_egress_shown"
  _hyp_prebuilt_egress_rc=1
  if [ -z "$_hyp_prebuilt_egress_proxy" ]; then
    if [ -n "$_hyp_prebuilt_egress_excluded" ]; then
      printf 'no_proxy entry "%s" excludes %s, so it goes direct (past %s)' \
        "$_hyp_prebuilt_egress_excluded" "$hyp_net_host" "$_hyp_prebuilt_egress_from"
    elif [ -n "$_hyp_prebuilt_egress_from" ]; then
      printf 'no proxy (direct, by the proxy parameter)'
    else
      printf 'no proxy configured'
    fi
    if [ "$hyp_net_stage" = ok ]; then
      printf '; the direct connection works (%s in %s ms)\n' "$hyp_net_http_code" "$hyp_net_elapsed_ms"
      _hyp_prebuilt_egress_rc=0
    else
      printf '; the direct connection to %s fails: ' "$_hyp_prebuilt_egress_target"
      hyp_net_stage_say
      printf '\n'
      case $hyp_net_stage in
        timeout | unreachable)
          printf 'hint: egress may be blocked (NetworkPolicy, security group, firewall); if this network has a proxy, set https_proxy (and http_proxy)\n'
          ;;
      esac
    fi
  else
    _hyp_prebuilt_egress_verdict
  fi
  [ -n "$_hyp_prebuilt_egress_note" ] && printf 'note: %s\n' "$_hyp_prebuilt_egress_note"
  printf 'tool: %s\n' "$hyp_net_tool"
  return "$_hyp_prebuilt_egress_rc"
}

# _hyp_prebuilt_egress_verdict: the rest of the first line (and any detail line) when the request
# went through a proxy; sets _hyp_prebuilt_egress_rc to 0 when the target answered.
_hyp_prebuilt_egress_verdict() {
  _hyp_prebuilt_egress_creds=
  case ${_hyp_prebuilt_egress_proxy#*://} in
    *@*) _hyp_prebuilt_egress_creds=1 ;;
  esac
  _hyp_prebuilt_egress_code=$hyp_net_http_code
  case $hyp_net_stage in
    dns)
      printf '%s does not resolve: ' "$_hyp_prebuilt_egress_p"
      hyp_net_stage_say
      printf '\n'
      return 0
      ;;
    refused | unreachable)
      printf '%s refuses TCP connections: ' "$_hyp_prebuilt_egress_p"
      hyp_net_stage_say
      printf '\n'
      return 0
      ;;
    timeout)
      printf 'no answer through %s within %ss: the proxy, or the target behind it, does not answer\n' \
        "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_timeout"
      return 0
      ;;
    proxy) _hyp_prebuilt_egress_code=$hyp_net_proxy_code ;;
    tls)
      printf '%s opens the way to %s, but TLS fails: ' "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_target"
      hyp_net_stage_say
      printf '\n'
      printf 'hint: a TLS-inspecting proxy presents its own certificate: its CA must be trusted here\n'
      return 0
      ;;
    ok) ;;
    *)
      printf 'through %s: ' "$_hyp_prebuilt_egress_p"
      hyp_net_stage_say
      printf '\n'
      return 0
      ;;
  esac
  # An answer: to CONNECT (stage proxy: the tunnel was refused), or through the proxy. Through a
  # tunnel (https) the answer is the target's; through a forward proxy (http) a 403 or 5xx may
  # be the proxy's or the target's, and only 407 is surely the proxy's.
  _hyp_prebuilt_egress_how='answered'
  [ "$hyp_net_stage" = proxy ] && _hyp_prebuilt_egress_how='answered CONNECT with'
  case $hyp_net_stage:$hyp_net_scheme:$_hyp_prebuilt_egress_code in
    *:407)
      printf '%s requires authentication (%s 407)\n' "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_how"
      if [ -n "$_hyp_prebuilt_egress_creds" ]; then
        printf 'detail: the proxy rejected the credentials in its URL\n'
      else
        printf 'detail: the proxy URL carries no credentials (http://user:password@host:port)\n'
      fi
      ;;
    proxy:*:403)
      printf '%s denies CONNECT to %s (403)\n' "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_target"
      ;;
    proxy:*:5??)
      printf '%s cannot reach %s (%s %s)\n' "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_target" \
        "$_hyp_prebuilt_egress_how" "$_hyp_prebuilt_egress_code"
      ;;
    proxy:*)
      printf '%s refuses the tunnel to %s (%s %s)\n' "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_target" \
        "$_hyp_prebuilt_egress_how" "${_hyp_prebuilt_egress_code:-an error}"
      ;;
    ok:http:403)
      printf '%s, or %s behind it, denies the request (403)\n' "$_hyp_prebuilt_egress_p" "$hyp_net_host"
      ;;
    ok:http:502 | ok:http:503 | ok:http:504)
      printf '%s cannot reach %s, or the target itself failed (%s)\n' "$_hyp_prebuilt_egress_p" \
        "$_hyp_prebuilt_egress_target" "$_hyp_prebuilt_egress_code"
      ;;
    *)
      printf '%s reaches %s (%s in %s ms)\n' "$_hyp_prebuilt_egress_p" "$_hyp_prebuilt_egress_target" \
        "$_hyp_prebuilt_egress_code" "$hyp_net_elapsed_ms"
      _hyp_prebuilt_egress_rc=0
      ;;
  esac
}
