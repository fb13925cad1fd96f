# hypothecary runtime: lib/sigv4
# AWS Signature Version 4 in POSIX sh, awk and the openssl command, for images whose curl is
# missing or older than 7.86 (curl's own --aws-sigv4 is preferred where it works). It follows
# AWS's published algorithm step for step: canonical request, string to sign, the HMAC chain
# from "AWS4"+secret through date, region, service and "aws4_request", and the signature; the
# tests hold it to @smithy/signature-v4, the SDK's signer, byte for byte.
#
# Secrets never reach a command line, where any user on the host could read them in
# /proc/PID/cmdline. That rules out `openssl dgst -mac HMAC -macopt hexkey:KEY` (the key, or a
# key derived from the secret, would sit in openssl's argv) and, in mksh and posh, even
# `printf` (not a builtin there). So credentials live in files, keys are kept as hex in files,
# and each HMAC is built from two plain SHA-256 passes over files (RFC 2104):
# HMAC(K, m) = SHA256((K ^ opad) || SHA256((K ^ ipad) || m)). awk, which reads the key from a
# file, writes the padded keys as base64 text, and `openssl base64 -d` turns that into bytes:
# awk alone cannot write a NUL byte portably. Files are created under umask 077.

# hyp_sigv4_sign DIR METHOD URL REGION SERVICE AMZ_DATE
#   Signs one request. DIR holds the inputs:
#     akid, secret, token   the credentials, one line each (token may be absent or empty)
#     headers               extra "Name: value" lines to send and sign (may be absent)
#     body                  the payload (may be absent: empty)
#   AMZ_DATE is the request time as YYYYMMDDTHHMMSSZ (UTC).
#   Writes DIR/sigv4.headers: every header to send, one "Name: value" per line: Host,
#   X-Amz-Date, X-Amz-Security-Token (with a token), the extra ones, then Authorization. The
#   canonical request and string to sign stay in DIR/sigv4.creq and DIR/sigv4.sts for debugging.
#   Returns 1 (message on stderr) when a tool fails.
hyp_sigv4_sign() {
  umask 077
  _hyp_sigv4_dir=$1
  _hyp_sigv4_method=$2
  _hyp_sigv4_region=$4
  _hyp_sigv4_service=$5
  _hyp_sigv4_date=$6
  _hyp_sigv4_day=${6%%T*}
  _hyp_sigv4_scope="$_hyp_sigv4_day/$4/$5/aws4_request"

  # The URL, split by hand: scheme://[userinfo@]host[:port][/path][?query][#fragment].
  _hyp_sigv4_scheme=${3%%://*}
  _hyp_sigv4_rest=${3#*://}
  _hyp_sigv4_rest=${_hyp_sigv4_rest%%#*}
  _hyp_sigv4_host=${_hyp_sigv4_rest%%[/?]*}
  _hyp_sigv4_after=${_hyp_sigv4_rest#"$_hyp_sigv4_host"}
  _hyp_sigv4_host=${_hyp_sigv4_host##*@}
  _hyp_sigv4_path=${_hyp_sigv4_after%%\?*}
  _hyp_sigv4_query=
  case $_hyp_sigv4_after in *\?*) _hyp_sigv4_query=${_hyp_sigv4_after#*\?} ;; esac
  # The Host header carries no port when it is the scheme's default (curl and the SDKs agree).
  case $_hyp_sigv4_scheme:$_hyp_sigv4_host in
    https:*:443) _hyp_sigv4_host=${_hyp_sigv4_host%:443} ;;
    http:*:80) _hyp_sigv4_host=${_hyp_sigv4_host%:80} ;;
  esac

  # 1. The canonical request.
  _hyp_sigv4_all="$_hyp_sigv4_dir/sigv4.all"
  printf 'Host: %s\nX-Amz-Date: %s\n' "$_hyp_sigv4_host" "$_hyp_sigv4_date" >"$_hyp_sigv4_all" || return 1
  if [ -s "$_hyp_sigv4_dir/token" ]; then
    LC_ALL=C awk 'NR == 1 && $0 != "" { print "X-Amz-Security-Token: " $0 }' "$_hyp_sigv4_dir/token" >>"$_hyp_sigv4_all" || return 1
  fi
  if [ -s "$_hyp_sigv4_dir/headers" ]; then
    cat "$_hyp_sigv4_dir/headers" >>"$_hyp_sigv4_all" || return 1
  fi
  _hyp_sigv4_canonical_headers "$_hyp_sigv4_all" "$_hyp_sigv4_dir/sigv4.ch" "$_hyp_sigv4_dir/sigv4.sh" || return 1
  # shellcheck disable=SC2162 # plain read: posh's `read -r` breaks its next `wait` (docs/shell-bugs.md); header names have no backslashes
  read _hyp_sigv4_signed <"$_hyp_sigv4_dir/sigv4.sh"

  if [ -f "$_hyp_sigv4_dir/body" ]; then
    _hyp_sigv4_sha256 "$_hyp_sigv4_dir/body" || return 1
  else
    : >"$_hyp_sigv4_dir/sigv4.empty"
    _hyp_sigv4_sha256 "$_hyp_sigv4_dir/sigv4.empty" || return 1
  fi
  _hyp_sigv4_payload=$_hyp_sigv4_hash

  _hyp_sigv4_uri=$(_hyp_sigv4_canonical_path "$_hyp_sigv4_path") || return 1
  _hyp_sigv4_cquery=$(_hyp_sigv4_canonical_query "$_hyp_sigv4_query") || return 1
  {
    printf '%s\n%s\n%s\n' "$_hyp_sigv4_method" "$_hyp_sigv4_uri" "$_hyp_sigv4_cquery"
    cat "$_hyp_sigv4_dir/sigv4.ch"
    printf '\n%s\n%s' "$_hyp_sigv4_signed" "$_hyp_sigv4_payload"
  } >"$_hyp_sigv4_dir/sigv4.creq" || return 1

  # 2. The string to sign.
  _hyp_sigv4_sha256 "$_hyp_sigv4_dir/sigv4.creq" || return 1
  printf 'AWS4-HMAC-SHA256\n%s\n%s\n%s' "$_hyp_sigv4_date" "$_hyp_sigv4_scope" "$_hyp_sigv4_hash" >"$_hyp_sigv4_dir/sigv4.sts" || return 1

  # 3. The signing key: HMAC chain from "AWS4" + secret. The first key is the secret itself,
  # so it goes from file to hex without passing through an argument.
  LC_ALL=C awk 'NR == 1 { printf "AWS4%s", $0; exit }' "$_hyp_sigv4_dir/secret" >"$_hyp_sigv4_dir/sigv4.k0raw" || return 1
  if [ "$(wc -c <"$_hyp_sigv4_dir/sigv4.k0raw")" -gt 64 ]; then
    # RFC 2104: keys longer than the hash's block are hashed first.
    openssl dgst -sha256 -r <"$_hyp_sigv4_dir/sigv4.k0raw" >"$_hyp_sigv4_dir/sigv4.k0" || return 1
  else
    od -An -v -tx1 <"$_hyp_sigv4_dir/sigv4.k0raw" | tr -d ' \n' >"$_hyp_sigv4_dir/sigv4.k0" || return 1
  fi
  rm -f "$_hyp_sigv4_dir/sigv4.k0raw"
  printf '%s' "$_hyp_sigv4_day" >"$_hyp_sigv4_dir/sigv4.m1"
  printf '%s' "$_hyp_sigv4_region" >"$_hyp_sigv4_dir/sigv4.m2"
  printf '%s' "$_hyp_sigv4_service" >"$_hyp_sigv4_dir/sigv4.m3"
  printf '%s' aws4_request >"$_hyp_sigv4_dir/sigv4.m4"
  _hyp_sigv4_hmac "$_hyp_sigv4_dir/sigv4.k0" "$_hyp_sigv4_dir/sigv4.m1" "$_hyp_sigv4_dir/sigv4.k1" &&
    _hyp_sigv4_hmac "$_hyp_sigv4_dir/sigv4.k1" "$_hyp_sigv4_dir/sigv4.m2" "$_hyp_sigv4_dir/sigv4.k2" &&
    _hyp_sigv4_hmac "$_hyp_sigv4_dir/sigv4.k2" "$_hyp_sigv4_dir/sigv4.m3" "$_hyp_sigv4_dir/sigv4.k3" &&
    _hyp_sigv4_hmac "$_hyp_sigv4_dir/sigv4.k3" "$_hyp_sigv4_dir/sigv4.m4" "$_hyp_sigv4_dir/sigv4.k4" &&
    # 4. The signature.
    _hyp_sigv4_hmac "$_hyp_sigv4_dir/sigv4.k4" "$_hyp_sigv4_dir/sigv4.sts" "$_hyp_sigv4_dir/sigv4.sig" || return 1
  # Derived keys are as good as the secret for a day: gone as soon as they are used.
  rm -f "$_hyp_sigv4_dir/sigv4.k0" "$_hyp_sigv4_dir/sigv4.k1" "$_hyp_sigv4_dir/sigv4.k2" "$_hyp_sigv4_dir/sigv4.k3" \
    "$_hyp_sigv4_dir/sigv4.k4" "$_hyp_sigv4_dir/sigv4.ipad" "$_hyp_sigv4_dir/sigv4.opad" "$_hyp_sigv4_dir/sigv4.inner" \
    "$_hyp_sigv4_dir/sigv4.ipad.b64" "$_hyp_sigv4_dir/sigv4.opad.b64"

  # 5. The headers to send: everything signed, then Authorization (the access key id comes
  # from its file; the signature is not a secret).
  # shellcheck disable=SC2162 # plain read, as above; the file is hex
  read _hyp_sigv4_signature _hyp_sigv4_ignored <"$_hyp_sigv4_dir/sigv4.sig"
  case $_hyp_sigv4_signature in
    ????????????????????????????????????????????????????????????????) ;;
    *) printf 'sigv4: openssl did not produce a SHA-256 HMAC\n' >&2; return 1 ;;
  esac
  {
    cat "$_hyp_sigv4_all"
    LC_ALL=C awk -v scope="$_hyp_sigv4_scope" -v signed="$_hyp_sigv4_signed" -v sig="$_hyp_sigv4_signature" '
      NR == 1 { printf "Authorization: AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s\n", $0, scope, signed, sig; exit }
    ' "$_hyp_sigv4_dir/akid"
  } >"$_hyp_sigv4_dir/sigv4.headers" || return 1
  rm -f "$_hyp_sigv4_all"
}

# _hyp_sigv4_sha256 FILE: sets _hyp_sigv4_hash to the lowercase hex SHA-256 of FILE.
_hyp_sigv4_sha256() {
  openssl dgst -sha256 -r <"$1" >"$_hyp_sigv4_dir/sigv4.digest" || return 1
  # shellcheck disable=SC2162 # plain read, as above; `openssl dgst -r` prints "HEX *stdin"
  read _hyp_sigv4_hash _hyp_sigv4_ignored <"$_hyp_sigv4_dir/sigv4.digest"
  [ ${#_hyp_sigv4_hash} -eq 64 ]
}

# _hyp_sigv4_hmac KEY_FILE MSG_FILE OUT_FILE: OUT_FILE gets the hex HMAC-SHA256 of MSG_FILE's
# bytes under the key whose hex is the first word of KEY_FILE (at most 64 bytes).
_hyp_sigv4_hmac() {
  LC_ALL=C awk -v ipad="$_hyp_sigv4_dir/sigv4.ipad.b64" -v opad="$_hyp_sigv4_dir/sigv4.opad.b64" '
    # POSIX awk has no XOR: combine bit by bit. (Not named xor: gawk and busybox awk have a
    # builtin by that name and refuse to redefine it.)
    function xor8(a, b,    r, bit) {
      r = 0
      for (bit = 1; bit < 256; bit *= 2) if ((int(a / bit) % 2) != (int(b / bit) % 2)) r += bit
      return r
    }
    function base64(bytes, n,    out, i, v) {
      out = ""
      for (i = 0; i < n; i += 3) {
        v = bytes[i] * 65536 + (i + 1 < n ? bytes[i + 1] : 0) * 256 + (i + 2 < n ? bytes[i + 2] : 0)
        out = out substr(B64, int(v / 262144) % 64 + 1, 1) substr(B64, int(v / 4096) % 64 + 1, 1)
        out = out (i + 1 < n ? substr(B64, int(v / 64) % 64 + 1, 1) : "=") (i + 2 < n ? substr(B64, v % 64 + 1, 1) : "=")
      }
      return out
    }
    BEGIN {
      B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
      for (i = 0; i < 16; i++) { HEX[substr("0123456789abcdef", i + 1, 1)] = i; HEX[substr("0123456789ABCDEF", i + 1, 1)] = i }
    }
    NR == 1 { key = $1 }
    END {
      n = length(key) / 2
      if (n > 64 || n != int(n)) exit 1
      for (i = 0; i < 64; i++) {
        k = i < n ? HEX[substr(key, 2 * i + 1, 1)] * 16 + HEX[substr(key, 2 * i + 2, 1)] : 0
        inner[i] = xor8(k, 54)
        outer[i] = xor8(k, 92)
      }
      printf "%s", base64(inner, 64) >ipad
      printf "%s", base64(outer, 64) >opad
    }' "$1" || return 1
  openssl base64 -d -A -in "$_hyp_sigv4_dir/sigv4.ipad.b64" -out "$_hyp_sigv4_dir/sigv4.ipad" &&
    openssl base64 -d -A -in "$_hyp_sigv4_dir/sigv4.opad.b64" -out "$_hyp_sigv4_dir/sigv4.opad" || return 1
  # (A short or failed inner digest shows as a wrong final hex, which the caller checks.)
  cat "$_hyp_sigv4_dir/sigv4.ipad" "$2" | openssl dgst -sha256 -binary >"$_hyp_sigv4_dir/sigv4.inner" || return 1
  cat "$_hyp_sigv4_dir/sigv4.opad" "$_hyp_sigv4_dir/sigv4.inner" | openssl dgst -sha256 -r >"$3"
}

# _hyp_sigv4_canonical_headers ALL CH SH: from ALL ("Name: value" lines) writes CH, the
# canonical headers (lowercase names, sorted; values trimmed, inner blanks squeezed; repeated
# names joined with commas in the order sent), one "name:value" per line, and SH, the signed
# headers line ("a;b;c").
_hyp_sigv4_canonical_headers() {
  LC_ALL=C awk '
    {
      sub(/\r$/, "")
      colon = index($0, ":")
      if (colon == 0) next
      name = tolower(substr($0, 1, colon - 1))
      value = substr($0, colon + 1)
      gsub(/[ \t]+/, " ", value)
      sub(/^ /, "", value)
      sub(/ $/, "", value)
      gsub(/[ \t]/, "", name)
      printf "%s\t%08d\t%s\n", name, NR, value
    }' "$1" | LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2n | LC_ALL=C awk -F '\t' -v ch="$2" -v sh="$3" '
    {
      if ($1 == last) { values[n] = values[n] "," $3; next }
      n++; names[n] = $1; values[n] = $3; last = $1
    }
    END {
      signed = ""
      for (i = 1; i <= n; i++) {
        printf "%s:%s\n", names[i], values[i] >ch
        signed = signed (i > 1 ? ";" : "") names[i]
      }
      if (n == 0) printf "" >ch
      print signed >sh
    }'
}

# _hyp_sigv4_awk_encode: awk functions shared by the path and query canonicalisers: AWS's
# UriEncode (every byte but A-Za-z0-9-_.~ as %XX, upper case) and percent-decoding.
_hyp_sigv4_awk_encode='
  function uri_encode(s, keep_slash,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c ~ /[A-Za-z0-9_.~-]/ || (keep_slash && c == "/")) out = out c
      else out = out sprintf("%%%02X", ORD[c])
    }
    return out
  }
  function uri_decode(s,    out, i, c) {
    out = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      if (c == "%" && substr(s, i + 1, 2) ~ /^[0-9A-Fa-f][0-9A-Fa-f]$/) {
        out = out sprintf("%c", HEX[substr(s, i + 1, 1)] * 16 + HEX[substr(s, i + 2, 1)])
        i += 2
      } else out = out c
    }
    return out
  }
  BEGIN {
    for (i = 1; i < 256; i++) ORD[sprintf("%c", i)] = i
    for (i = 0; i < 16; i++) { HEX[substr("0123456789abcdef", i + 1, 1)] = i; HEX[substr("0123456789ABCDEF", i + 1, 1)] = i }
  }
'

# _hyp_sigv4_canonical_path PATH: prints the canonical URI: "." and ".." and empty segments
# resolved as the SDKs do for every service but S3, then URI-encoded with "/" kept. The path
# is encoded as it appears in the URL, so an existing %XX becomes %25XX (AWS's double encoding).
_hyp_sigv4_canonical_path() {
  # Through the environment, not -v: awk -v would interpret backslashes.
  _HYP_SIGV4_IN=$1 LC_ALL=C awk "$_hyp_sigv4_awk_encode"'
    BEGIN {
      path = ENVIRON["_HYP_SIGV4_IN"]
      n = split(path, seg, "/")
      depth = 0
      for (i = 1; i <= n; i++) {
        if (seg[i] == "" || seg[i] == ".") continue
        if (seg[i] == "..") { if (depth > 0) depth--; continue }
        out[++depth] = seg[i]
      }
      p = "/"
      for (i = 1; i <= depth; i++) p = p (i > 1 ? "/" : "") out[i]
      if (depth > 0 && path ~ /\/$/) p = p "/"
      print uri_encode(p, 1)
    }'
}

# _hyp_sigv4_canonical_query QUERY: prints the canonical query string: each name and value
# decoded, then UriEncoded, sorted by name then value, joined with "&".
_hyp_sigv4_canonical_query() {
  _HYP_SIGV4_IN=$1 LC_ALL=C awk "$_hyp_sigv4_awk_encode"'
    BEGIN {
      n = split(ENVIRON["_HYP_SIGV4_IN"], pair, "&")
      m = 0
      for (i = 1; i <= n; i++) {
        if (pair[i] == "") continue
        eq = index(pair[i], "=")
        k = eq ? substr(pair[i], 1, eq - 1) : pair[i]
        v = eq ? substr(pair[i], eq + 1) : ""
        gsub(/\+/, " ", k); gsub(/\+/, " ", v)
        key[++m] = uri_encode(uri_decode(k), 0)
        val[m] = uri_encode(uri_decode(v), 0)
      }
      # Insertion sort: a handful of parameters; byte order under LC_ALL=C.
      for (i = 2; i <= m; i++) {
        k = key[i]; v = val[i]
        for (j = i - 1; j >= 1 && (key[j] > k || (key[j] == k && val[j] > v)); j--) { key[j + 1] = key[j]; val[j + 1] = val[j] }
        key[j + 1] = k; val[j + 1] = v
      }
      out = ""
      for (i = 1; i <= m; i++) out = out (i > 1 ? "&" : "") key[i] "=" val[i]
      print out
    }'
}
