# hypothecary runtime: clock
# The one clock of the runner and of the prebuilts (lib/net times requests with it).

# hyp_now_ms: sets hyp_ms to a clock in milliseconds; only differences mean anything.
# /proc/uptime costs no fork and ticks in centiseconds; `date +%s` (GNU, busybox) is the
# fallback, in whole seconds; without either the clock reads 0.
# shellcheck disable=SC2162 # plain read: posh's `read -r` breaks its next `wait` (docs/shell-bugs.md)
hyp_now_ms() {
  _hyp_now_up=
  if [ -r /proc/uptime ]; then
    read _hyp_now_up _hyp_now_idle </proc/uptime || _hyp_now_up=
  fi
  case $_hyp_now_up in
    *[!0-9.]*) ;;
    [1-9]*.[0-9][0-9])
      # "3908.81" -> 390881 centiseconds. The integer part has no leading zero, so the shell
      # never reads the digits as octal.
      hyp_ms=$((${_hyp_now_up%.*}${_hyp_now_up#*.} * 10))
      return 0
      ;;
  esac
  _hyp_now_s=$(date +%s 2>/dev/null)
  case $_hyp_now_s in
    '' | *[!0-9]*) hyp_ms=0 ;;
    *) hyp_ms=$((_hyp_now_s * 1000)) ;;
  esac
}
