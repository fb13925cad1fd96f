# hypothecary runtime: report-text
# `report.format: text`: the report for people reading a terminal or `kubectl logs`. One line
# per plugin (status, name, duration, the first line it printed), then the summary with the
# verdict: each confirmed hypothesis and each one ruled out on a line of its own. Plugin text is
# redacted first (runtime/redact.sh), as for JSON.

# hyp_text_awk: awk functions for the text format, used with hyp_json_awk (json_init must have
# run: text_clean reads its byte table). Under LC_ALL=C.
hyp_text_awk='
# text_clean(s, budget): s fit for a terminal: a tab as a space, other control characters as ?,
# bytes that are not well-formed UTF-8 as U+FFFD; ASCII only (? for the rest) when json_ascii
# is set (a line a shell variable holds); at most about budget bytes.
function text_clean(s, budget,    out, i, n, c, b, len) {
  out = ""; n = length(s); i = 1
  while (i <= n) {
    if (length(out) >= budget) { out = out "..."; break }
    c = substr(s, i, 1); b = json_byte[c]
    if (b < 128) {
      out = out (b == 9 ? " " : (b < 32 || b == 127) ? "?" : c)
      i++
      continue
    }
    len = text_utf8(s, i, b)
    if (len) { out = out (json_ascii ? "?" : substr(s, i, len)); i += len }
    else { out = out (json_ascii ? "?" : "\357\277\275"); i++ }
  }
  return out
}

# text_utf8(s, i, b): the length of the well-formed UTF-8 sequence at s[i] (first byte b), or 0.
function text_utf8(s, i, b,    len, j, b2) {
  len = (b >= 194 && b <= 223) ? 2 : (b >= 224 && b <= 239) ? 3 : (b >= 240 && b <= 244) ? 4 : 0
  for (j = 1; len && j < len; j++) { b2 = json_byte[substr(s, i + j, 1)]; if (b2 < 128 || b2 > 191) len = 0 }
  if (len) {
    b2 = json_byte[substr(s, i + 1, 1)]
    if ((b == 224 && b2 < 160) || (b == 237 && b2 > 159) || (b == 240 && b2 < 144) || (b == 244 && b2 > 143)) len = 0
  }
  return len
}

# text_gist(s, prebuilt): the line of s that says most, for the verdict: the first of a prebuilt
# (its summary, by contract), else the last, where commands put their error (`curl: (6) Could
# not resolve host: ...`); at most 300 bytes.
function text_gist(s, prebuilt,    n, l, i, line, gist) {
  n = split(s, l, "\n"); gist = ""
  for (i = 1; i <= n; i++) {
    line = l[i]
    sub(/[\r ]+$/, "", line)
    sub(/.*\r/, "", line)
    # curl writes its error straight after the last state of its progress meter, on one line.
    if (match(line, /curl: \([0-9]+\) /)) line = substr(line, RSTART)
    if (line != "" && (gist == "" || !prebuilt)) gist = line
  }
  return substr(gist, 1, 300)
}

# text_first(s): the first line of s with something on it (a progress meter that redraws with
# CR: its last state), cleaned, and how many more such lines follow; "(no output)" for none.
function text_first(s,    n, l, i, line, first, more) {
  n = split(s, l, "\n"); more = 0; first = ""
  for (i = 1; i <= n; i++) {
    line = l[i]
    sub(/[\r \t]+$/, "", line)
    sub(/.*\r/, "", line)
    if (line !~ /[^ \t]/) continue
    if (first == "") first = line
    else more++
  }
  if (first == "") return "(no output)"
  sub(/^[ \t]+/, "", first)
  return text_clean(first, 300) (more ? " (+" more " more line" (more > 1 ? "s" : "") ")" : "")
}
'
