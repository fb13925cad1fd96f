# hypothecary prebuilt: CLOCK-SKEW
# summary: Compares this pod's clock with the Date header of an HTTP(S) answer.
# reports: how far the local clock is ahead of or behind the server's, against the limit, with the measurement's uncertainty; calls out AWS SigV4's 5-minute limit; when no dated answer came, why (the stage that failed, or no Date header).
# function: hyp_prebuilt_clock_skew
# requires: plugin-api lib/net lib/time
# param url: string = https://sts.amazonaws.com/ -- an http:// or https:// URL whose server keeps good time (any status will do; it must send a Date header)
# param max_skew: duration = 5s -- the largest difference that passes
# param timeout: duration = 5s -- gives up after this long, whatever the stage
# param insecure: boolean = false -- skip TLS certificate verification (a badly wrong clock makes every certificate look expired or not yet valid)
#
# Works with curl, GNU wget or busybox wget (the response headers come from curl -v or wget -S),
# and `date +%s` for the local clock (GNU and busybox date). The request uses the proxy the
# environment sets, as the tool reads it.
# Precision: the Date header counts whole seconds, and so does `date +%s`; the server wrote its
# Date somewhere during the request. The estimate is (local seconds before the request + half
# the round trip) - Date, and the uncertainty is +/- (1 s + half the round trip). It fails when
# the estimate is beyond max_skew. An answer without a usable Date header cannot tell: that is a
# failure (exit 1), which says so, as is no answer at all. Exits 2 on a parameter it cannot use.

# hyp_prebuilt_clock_skew: see the header. Prints one line, for example
#   CLOCK-SKEW: local clock is 312 s ahead of https://sts.amazonaws.com/ (limit 5s, +/- 1.0 s)
#   CLOCK-SKEW: local clock is in step with https://sts.amazonaws.com/ (0 s, limit 5s, +/- 1.0 s)
#   CLOCK-SKEW https://sts.amazonaws.com/: cannot tell: the answer (200) has no Date header
# then the two readings.
# shellcheck disable=SC2154,SC2162 # the hyp_net_* results are set by lib/net; read: see lib/net
hyp_prebuilt_clock_skew() {
  _hyp_prebuilt_clock_skew_url=${hyp_arg_url:-https://sts.amazonaws.com/}
  _hyp_prebuilt_clock_skew_timeout=${hyp_arg_timeout:-5}
  if ! hyp_net_url_parse "$_hyp_prebuilt_clock_skew_url"; then
    printf 'CLOCK-SKEW "%s": not an http:// or https:// URL\n' "$_hyp_prebuilt_clock_skew_url"
    return 2
  fi
  _hyp_prebuilt_clock_skew_shown=$hyp_net_url_shown
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_clock_skew_timeout"; then
    printf 'CLOCK-SKEW %s: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_clock_skew_shown" "$_hyp_prebuilt_clock_skew_timeout"
    return 2
  fi
  if ! hyp_net_secs_ms "${hyp_arg_max_skew:-5}"; then
    printf 'CLOCK-SKEW %s: max_skew "%s" is not a number of seconds\n' "$_hyp_prebuilt_clock_skew_shown" "${hyp_arg_max_skew-}"
    return 2
  fi
  _hyp_prebuilt_clock_skew_limit=$hyp_net_msecs
  if [ $((_hyp_prebuilt_clock_skew_limit % 1000)) -eq 0 ]; then
    _hyp_prebuilt_clock_skew_limit_shown=$((_hyp_prebuilt_clock_skew_limit / 1000))s
  else
    _hyp_prebuilt_clock_skew_limit_shown=${_hyp_prebuilt_clock_skew_limit}ms
  fi

  hyp_net_http_options '' ''
  hyp_net_http_tool GET "$_hyp_prebuilt_clock_skew_url" || hyp_skip "$hyp_net_missing"
  _hyp_prebuilt_clock_skew_local=$(date +%s 2>/dev/null)
  case $_hyp_prebuilt_clock_skew_local in
    '' | *[!0-9]*) hyp_skip "the local clock cannot be read here (date +%s)" ;;
  esac
  hyp_net_http_request GET "$_hyp_prebuilt_clock_skew_url" "$_hyp_prebuilt_clock_skew_timeout" "${hyp_arg_insecure-}"

  if [ -z "$hyp_net_http_code" ]; then
    printf 'CLOCK-SKEW %s: cannot tell: ' "$_hyp_prebuilt_clock_skew_shown"
    hyp_net_stage_say
    printf '\n'
    if [ "$hyp_net_stage" = tls ] && awk '{ l = tolower($0) } l ~ /expired|not yet valid|not valid yet/ { f = 1 } END { exit !f }' \
      "$HYP_PLUGIN_DIR/net-stage"; then
      printf 'note: a certificate that looks expired or not yet valid can be the sign of a wrong local clock (insecure: true reads the Date anyway)\n'
    fi
    return 1
  fi
  # The last Date header the tool printed: that of the final answer (after a proxy's CONNECT).
  _hyp_prebuilt_clock_skew_compute "$_hyp_prebuilt_clock_skew_local" "$hyp_net_elapsed_ms" "$_hyp_prebuilt_clock_skew_limit" \
    <"$HYP_PLUGIN_DIR/net-err" >"$HYP_PLUGIN_DIR/clock-skew"
  _hyp_prebuilt_clock_skew_state='' _hyp_prebuilt_clock_skew_est='' _hyp_prebuilt_clock_skew_err='' _hyp_prebuilt_clock_skew_verdict=''
  {
    read _hyp_prebuilt_clock_skew_state
    read _hyp_prebuilt_clock_skew_est
    read _hyp_prebuilt_clock_skew_err
    read _hyp_prebuilt_clock_skew_verdict
  } <"$HYP_PLUGIN_DIR/clock-skew"
  case $_hyp_prebuilt_clock_skew_state in
    nodate)
      printf 'CLOCK-SKEW %s: cannot tell: the answer (%s) has no Date header\n' "$_hyp_prebuilt_clock_skew_shown" "$hyp_net_http_code"
      return 1
      ;;
    baddate)
      printf 'CLOCK-SKEW %s: cannot tell: the Date header of the answer (%s) is not an HTTP date\n' \
        "$_hyp_prebuilt_clock_skew_shown" "$hyp_net_http_code"
      awk 'NR == 5' "$HYP_PLUGIN_DIR/clock-skew"
      return 1
      ;;
  esac
  printf 'CLOCK-SKEW: local clock is '
  case $_hyp_prebuilt_clock_skew_est in
    0) printf 'in step with %s (0 s, ' "$_hyp_prebuilt_clock_skew_shown" ;;
    -*) printf '%s s behind %s (' "${_hyp_prebuilt_clock_skew_est#-}" "$_hyp_prebuilt_clock_skew_shown" ;;
    *) printf '%s s ahead of %s (' "$_hyp_prebuilt_clock_skew_est" "$_hyp_prebuilt_clock_skew_shown" ;;
  esac
  printf 'limit %s, +/- %s s)\n' "$_hyp_prebuilt_clock_skew_limit_shown" "$_hyp_prebuilt_clock_skew_err"
  # The readings, then the consequences.
  awk 'NR >= 5' "$HYP_PLUGIN_DIR/clock-skew"
  case $_hyp_prebuilt_clock_skew_verdict in
    pass) return 0 ;;
  esac
  return 1
}

# _hyp_prebuilt_clock_skew_compute LOCAL RTT_MS LIMIT_MS <HEADERS: reads the tool's messages
# (curl -v "< Date: ...", wget -S "  Date: ...") and prints: state (ok | nodate | baddate), the
# skew estimate in whole seconds (local minus server: positive when the local clock is ahead),
# its uncertainty in seconds (one decimal), pass or fail, then lines for humans.
# LOCAL is `date +%s` read just before the request, RTT_MS how long the request took.
# Dates in the three forms HTTP allows (RFC 9110 5.6.7): IMF-fixdate "Sun, 06 Nov 1994 08:49:37
# GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime "Sun Nov  6 08:49:37 1994"; the
# calendar arithmetic is lib/time's (mawk and busybox awk have no mktime).
_hyp_prebuilt_clock_skew_compute() {
  LC_ALL=C awk -v local="$1" -v rtt="$2" -v limit="$3" "$hyp_time_awk"'
    # Seconds since the epoch for an HTTP date, or -1.
    function http_date(v,   n, t, i, k, mon, day, year, hms, p) {
      gsub(/,/, " ", v)
      n = split(v, t, /[ \t]+/)
      mon = 0; day = ""; year = ""; hms = ""
      for (i = 1; i <= n; i++) {
        k = t[i]
        if (k == "") continue
        if (k ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/) hms = k
        else if (k ~ /^[0-9][0-9]?-[A-Za-z][A-Za-z][A-Za-z]-[0-9][0-9]([0-9][0-9])?$/) {
          split(k, p, "-"); day = p[1]; mon = hyp_month(p[2]); year = p[3]
        } else if (k ~ /^[A-Za-z][A-Za-z][A-Za-z]$/ && hyp_month(k)) mon = hyp_month(k)
        else if (k ~ /^[0-9][0-9][0-9][0-9]$/) year = k
        else if (k ~ /^[0-9][0-9]?$/) day = k
      }
      if (!mon || day == "" || year == "" || hms == "") return -1
      if (length(year) == 2) year += (year < 70 ? 2000 : 1900)
      split(hms, p, ":")
      if (day + 0 < 1 || day + 0 > 31 || p[1] + 0 > 23 || p[2] + 0 > 59 || p[3] + 0 > 60) return -1
      return hyp_civil(year + 0, mon, day + 0) * 86400 + p[1] * 3600 + p[2] * 60 + p[3]
    }
    {
      line = $0
      sub(/\r$/, "", line)
      if (line ~ /^(< |  )[Dd][Aa][Tt][Ee]:/) { date = line; sub(/^(< |  )[Dd][Aa][Tt][Ee]:[ \t]*/, "", date); seen = 1 }
    }
    END {
      if (!seen) { print "nodate"; exit }
      gsub(/[^ -~]/, "?", date)
      if (length(date) > 100) date = substr(date, 1, 100) "..."
      server = http_date(date)
      if (server < 0) { print "baddate"; print ""; print ""; print ""; print "server Date: " date; exit }
      half = rtt / 2000
      est = local + half - server
      err = 1 + half
      rounded = est < 0 ? -int(-est + 0.5) : int(est + 0.5)
      if (rounded == 0) rounded = 0 # not -0
      verdict = (est > limit / 1000 || -est > limit / 1000) ? "fail" : "pass"
      # %.0f: mawk clamps %d at 2^31.
      print "ok"; printf "%.0f\n", rounded; printf "%.1f\n", err; print verdict
      print "server Date: " date
      print "local clock: " hyp_civil_date(local) " (read just before the request; it took " rtt " ms)"
      if (rounded > 300 || rounded < -300)
        print "note: AWS SigV4 rejects requests signed more than 5 minutes off (RequestTimeTooSkewed): AWS calls from here fail until the clock is fixed"
    }
  '
}
