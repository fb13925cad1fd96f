# hypothecary runtime: lib/time
# Calendar arithmetic for awk programs, which need it where mawk and busybox awk have no mktime
# (TLS-CERT's notAfter, an HTTP Date header, AWS's clock). One copy, for every prebuilt.

# hyp_time_awk: awk functions, to prepend to a program:
#   hyp_civil(y, m, d)             days from 1970-01-01 to a civil date (H. Hinnant's algorithm)
#   hyp_epoch(y, m, d, hh, mm, ss)  seconds since the epoch, UTC
#   hyp_civil_date(epoch)          "YYYY-MM-DD hh:mm:ss UTC", the inverse
#   hyp_month(name)                1..12 for "Jan".."Dec" (any case), else 0
# shellcheck disable=SC2034 # for the prebuilts' awk programs
hyp_time_awk='
function hyp_civil(y, m, d,   era, yoe, doy, doe) {
  y -= (m <= 2)
  era = int((y >= 0 ? y : y - 399) / 400)
  yoe = y - era * 400
  doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
  return era * 146097 + doe - 719468
}
function hyp_epoch(y, m, d, hh, mm, ss) {
  return hyp_civil(y + 0, m + 0, d + 0) * 86400 + hh * 3600 + mm * 60 + ss
}
function hyp_civil_date(epoch,   z, s, era, doe, yoe, y, doy, mp, d, m) {
  z = int(epoch / 86400); s = epoch - z * 86400
  z += 719468
  era = int((z >= 0 ? z : z - 146096) / 146097)
  doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
  y = yoe + era * 400
  doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
  mp = int((5 * doy + 2) / 153)
  d = doy - int((153 * mp + 2) / 5) + 1
  m = mp + (mp < 10 ? 3 : -9)
  return sprintf("%04d-%02d-%02d %02d:%02d:%02d UTC", y + (m <= 2), m, d, int(s / 3600), int(s % 3600 / 60), s % 60)
}
function hyp_month(s,   i) {
  if (length(s) != 3) return 0
  i = index("janfebmaraprmayjunjulaugsepoctnovdec", tolower(s))
  return (i % 3 == 1) ? (i + 2) / 3 : 0
}
'
