# hypothecary runtime: redact
# Secrets out of plugin text before any of it leaves the runner. The report programs (report.sh,
# unstored.sh) call redact() on a plugin's output before they take its gist, escape it or cap it,
# so every destination (stdout, the container log, files, sinks) gets the same redacted text.

# Bytes of output read past HYP_OUTPUT_CAP: a secret that starts before the cap and ends
# within this many bytes after it is redacted whole, not cut into a visible prefix.
HYP_REDACT_SLACK=1024

# hyp_redact_awk: the awk function redact(s) and its helpers, for programs run under LC_ALL=C
# with HYPJ_REDACT in their environment (the config's `report.redact` patterns, one per line).
# Each secret becomes [REDACTED]; a label before it stays, so the reader knows what was there:
#   -----BEGIN ... PRIVATE KEY----- to -----END ... PRIVATE KEY----- (lines between and all;
#     without its END, to the end of the text): the markers stay, the key goes
#   Authorization: / "authorization": / Proxy-Authorization= VALUE (any scheme; to the closing
#     quote when the value is quoted, else to the end of the line)
#   Bearer TOKEN (a lowercase `bearer` followed by a short lowercase word is prose, and stays)
#   scheme://user:PASSWORD@host
#   JWTs (eyJ....eyJ....signature)
#   AWS access key ids: AKIA or ASIA and 16 capitals or digits
#   the value after an AWS secret label: aws_secret_access_key, SecretAccessKey,
#     AWS_SECRET_ACCESS_KEY, aws_session_token, SessionToken, X-Amz-Security-Token (any case;
#     `_` or `-` between words or not), then `=`, `:` or `>` (XML), quotes and blanks allowed
#   any 40-character run of [A-Za-z0-9/+] after the word `secret` (any case) on the same line
#   then each user pattern, applied to each line (so ^ and $ anchor at line ends)
# The built-in patterns are written without {n} intervals (mawk 1.3.4 lacks them) and tested
# cheaply first (tolower + index), so text without secrets costs a few scans.
hyp_redact_awk='
function redact_setup(    four, sep) {
  redact_ready = 1
  redact_nuser = split(ENVIRON["HYPJ_REDACT"], redact_user, "\n")
  redact_auth = "[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn][\"\047]?[ \t]*[:=][ \t]*"
  redact_auth_re = redact_auth "([\"][^\"\n]*|[\047][^\047\n]*|[^\"\047 \t\n][^\n]*)"
  redact_auth_pre = "^" redact_auth "[\"\047]?"
  redact_bearer_re = "[Bb][Ee][Aa][Rr][Ee][Rr][ \t]+[A-Za-z0-9._~+/=-]+"
  redact_url_re = "[A-Za-z][A-Za-z0-9+.-]*://[^/?#@ \t\n:\"\047<>]*:[^/?# \t\n\"\047<>]*@"
  redact_url_pre = "^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@ \t\n:\"\047<>]*:"
  redact_jwt_re = "eyJ[A-Za-z0-9_-]+[.]eyJ[A-Za-z0-9_-]+[.][A-Za-z0-9_-]*"
  four = "[A-Z0-9][A-Z0-9][A-Z0-9][A-Z0-9]"
  redact_akid_re = "(AKIA|ASIA)" four four four four
  redact_aws = "([Aa][Ww][Ss][_-]?)?([Ss][Ee][Cc][Rr][Ee][Tt][_-]?[Aa][Cc][Cc][Ee][Ss][Ss][_-]?[Kk][Ee][Yy]|[Ss][Ee][Ss][Ss][Ii][Oo][Nn][_-]?[Tt][Oo][Kk][Ee][Nn]|[Ss][Ee][Cc][Uu][Rr][Ii][Tt][Yy][_-]?[Tt][Oo][Kk][Ee][Nn])"
  sep = "[\"\047]?[ \t]*[:=>][ \t]*[\"\047]?"
  redact_aws_re = redact_aws sep "[A-Za-z0-9/+=]+"
  redact_aws_pre = "^" redact_aws sep
}

# redact(s): s with every secret replaced (see above).
function redact(s,    low) {
  if (!redact_ready) redact_setup()
  if (index(s, "-----BEGIN ")) s = redact_pem(s)
  low = tolower(s)
  if (index(low, "authorization")) s = redact_values(s, redact_auth_re, redact_auth_pre, 0)
  if (index(low, "bearer")) s = redact_bearer(s)
  if (index(s, "://")) s = redact_values(s, redact_url_re, redact_url_pre, 1)
  if (index(s, "eyJ")) gsub(redact_jwt_re, "[REDACTED]", s)
  if (index(low, "secret") || index(low, "token")) s = redact_values(s, redact_aws_re, redact_aws_pre, 0)
  if (index(s, "AKIA") || index(s, "ASIA")) gsub(redact_akid_re, "[REDACTED]", s)
  if (index(low, "secret") || redact_nuser) s = redact_lines(s)
  return s
}

# redact_values(s, re, pre, keep): each match of re loses what follows its prefix (what the
# anchored pre matches at its start); keep: its last character stays too (the @ of a URL).
function redact_values(s, re, pre, keep,    out, m, n) {
  out = ""
  while (match(s, re)) {
    m = substr(s, RSTART, RLENGTH)
    out = out substr(s, 1, RSTART - 1)
    s = substr(s, RSTART + RLENGTH)
    n = match(m, pre) ? RLENGTH : 0
    out = out substr(m, 1, n) "[REDACTED]" (keep ? substr(m, length(m)) : "")
  }
  return out s
}

function redact_bearer(s,    out, m, t) {
  out = ""
  while (match(s, redact_bearer_re)) {
    m = substr(s, RSTART, RLENGTH)
    out = out substr(s, 1, RSTART - 1)
    s = substr(s, RSTART + RLENGTH)
    match(m, /[ \t]+/)
    t = substr(m, RSTART + RLENGTH)
    # "a bearer token", "the bearer is": words, not credentials.
    if (substr(m, 1, 1) == "b" && t ~ /^[a-z]+$/ && length(t) < 16) out = out m
    else out = out substr(m, 1, RSTART + RLENGTH - 1) "[REDACTED]"
  }
  return out s
}

# redact_pem(s): private key blocks, their markers kept.
function redact_pem(s,    out) {
  out = ""
  while (match(s, /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/)) {
    out = out substr(s, 1, RSTART + RLENGTH - 1) "[REDACTED]"
    s = substr(s, RSTART + RLENGTH)
    if (match(s, /-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/)) s = substr(s, RSTART)
    else s = ""
  }
  return out s
}

# redact_lines(s): line by line, 40-character secrets after the word secret, then the patterns
# of report.redact.
function redact_lines(s,    n, l, i, j, out, p, head, rest) {
  n = split(s, l, "\n")
  out = ""
  for (i = 1; i <= n; i++) {
    p = index(tolower(l[i]), "secret")
    if (p) {
      head = substr(l[i], 1, p + 5)
      rest = substr(l[i], p + 6)
      l[i] = ""
      # A string, not /.../: busybox awk keeps the \ of [\/] in the bracket.
      while (match(rest, "[A-Za-z0-9/+]+")) {
        l[i] = l[i] substr(rest, 1, RSTART - 1) (RLENGTH == 40 ? "[REDACTED]" : substr(rest, RSTART, RLENGTH))
        rest = substr(rest, RSTART + RLENGTH)
      }
      l[i] = head l[i] rest
    }
    for (j = 1; j <= redact_nuser; j++) gsub(redact_user[j], "[REDACTED]", l[i])
    out = out (i > 1 ? "\n" : "") l[i]
  }
  return out
}
'
