# hypothecary prebuilt: TCP
# summary: Opens a TCP connection to a host and port, and closes it again.
# reports: whether the port accepted the connection and how long that took; else refused, timed out, unreachable or not resolved.
# function: hyp_prebuilt_tcp
# requires: plugin-api lib/net
# param host: string = 127.0.0.1 -- the host name or IP address to connect to
# param port: port, required -- the TCP port
# param timeout: duration = 3s -- gives up connecting after this long
#
# Works with nc (any flavour with -z, or busybox's), bash (/dev/tcp) or curl (telnet://, which
# cannot hang up by itself: with curl only, an open port takes the whole timeout to report).
# Exits 0 when the connection opened, 1 when it did not, 2 on a parameter it cannot use.

# hyp_prebuilt_tcp: connects to hyp_arg_host:hyp_arg_port (see the header). Prints one line:
#   TCP 127.0.0.1:5432 open in 3 ms      TCP 127.0.0.1:5432 refused
#   TCP 127.0.0.1:5432 timed out after 3s
# shellcheck disable=SC2154 # the hyp_net_* results are set by lib/net
hyp_prebuilt_tcp() {
  _hyp_prebuilt_tcp_host=${hyp_arg_host:-127.0.0.1}
  _hyp_prebuilt_tcp_port=${hyp_arg_port-}
  _hyp_prebuilt_tcp_timeout=${hyp_arg_timeout:-3}
  case $_hyp_prebuilt_tcp_host in
    *:*) _hyp_prebuilt_tcp_shown=[$_hyp_prebuilt_tcp_host]:$_hyp_prebuilt_tcp_port ;;
    *) _hyp_prebuilt_tcp_shown=$_hyp_prebuilt_tcp_host:$_hyp_prebuilt_tcp_port ;;
  esac
  # The compiler validates the parameters; these checks are for a runner edited by hand.
  case $_hyp_prebuilt_tcp_port in
    '' | *[!0-9]* | 0*) _hyp_prebuilt_tcp_port=0 ;;
  esac
  if [ "$_hyp_prebuilt_tcp_port" -lt 1 ] || [ "$_hyp_prebuilt_tcp_port" -gt 65535 ]; then
    printf 'TCP %s: the port must be a number from 1 to 65535\n' "$_hyp_prebuilt_tcp_shown"
    return 2
  fi
  case $_hyp_prebuilt_tcp_host in
    '' | -*)
      printf 'TCP %s: not a host name or address\n' "$_hyp_prebuilt_tcp_shown"
      return 2
      ;;
  esac
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_tcp_timeout"; then
    printf 'TCP %s: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_tcp_shown" "$_hyp_prebuilt_tcp_timeout"
    return 2
  fi

  hyp_net_tcp_tool || hyp_skip "$hyp_net_missing"
  hyp_net_tcp_connect "$_hyp_prebuilt_tcp_host" "$_hyp_prebuilt_tcp_port" "$_hyp_prebuilt_tcp_timeout"

  case $hyp_net_stage in
    ok)
      printf 'TCP %s open in %s ms\n' "$_hyp_prebuilt_tcp_shown" "$hyp_net_elapsed_ms"
      return 0
      ;;
    refused) printf 'TCP %s refused\n' "$_hyp_prebuilt_tcp_shown" ;;
    timeout) printf 'TCP %s timed out after %ss\n' "$_hyp_prebuilt_tcp_shown" "$_hyp_prebuilt_tcp_timeout" ;;
    *)
      printf 'TCP %s ' "$_hyp_prebuilt_tcp_shown"
      hyp_net_stage_say
      printf '\n'
      ;;
  esac
  return 1
}
