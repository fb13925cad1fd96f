# hypothecary prebuilt: K8S-API
# summary: Checks that this pod can talk to the Kubernetes API with its service account: token, TLS, /readyz, then an authenticated request.
# reports: who the API server says the token belongs to and how long the token has left; else the stage that failed: not in a cluster (skipped), no token, token expired, connect, TLS, API not ready, 401 token rejected, 403 forbidden with the API's message.
# function: hyp_prebuilt_k8s_api
# requires: plugin-api lib/net lib/tls
# param url: string = "" -- the API server; empty: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, as in-cluster clients use
# param token_file: string = /var/run/secrets/kubernetes.io/serviceaccount/token -- the service account token
# param ca_file: string = /var/run/secrets/kubernetes.io/serviceaccount/ca.crt -- the cluster's CA certificate
# param namespace: string = "" -- the namespace for the pods check on clusters older than 1.28; empty: the namespace file beside the token
# param timeout: duration = 5s -- the limit for each network call
#
# Stages: the in-cluster environment (none: skipped, this is not a pod), the token file, the
# token's expiry (the JWT's exp claim), TCP and TLS to the API server with the cluster CA and the
# host name checked (with openssl), GET /readyz anonymously, then POST
# /apis/authentication.k8s.io/v1/selfsubjectreviews with the token (Kubernetes 1.28+; older
# clusters: GET the namespace's pods, whose 403 still names the user).
# The token never reaches a command line (/proc/PID/cmdline is world-readable) nor the output:
# curl reads it from a config file (-K), GNU wget from a wgetrc (WGETRC), both written 0600 in
# HYP_PLUGIN_DIR and removed afterwards. busybox wget can only take headers on its command line:
# with it, only /readyz is checked, and the output says so.
# Exits 0 when the API answered and accepted the token (or, with busybox wget alone, is ready),
# 1 otherwise, 2 on a parameter it cannot use.

# hyp_prebuilt_k8s_api: see the header. Prints one line, for example
#   K8S-API https://10.96.0.1:443: ready, authenticated as system:serviceaccount:shop:checkout in 12 ms
#   K8S-API https://10.96.0.1:443: 401 token rejected: Unauthorized
# shellcheck disable=SC2154,SC2162 # hyp_net_*, hyp_tls_* are set by lib/net and lib/tls; read: see lib/net
hyp_prebuilt_k8s_api() {
  umask 077
  _hyp_prebuilt_k8s_api_url=${hyp_arg_url-}
  _hyp_prebuilt_k8s_api_token=${hyp_arg_token_file:-/var/run/secrets/kubernetes.io/serviceaccount/token}
  _hyp_prebuilt_k8s_api_ca=${hyp_arg_ca_file:-/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}
  _hyp_prebuilt_k8s_api_ns=${hyp_arg_namespace-}
  _hyp_prebuilt_k8s_api_timeout=${hyp_arg_timeout:-5}
  if [ -z "$_hyp_prebuilt_k8s_api_url" ]; then
    [ -n "${KUBERNETES_SERVICE_HOST-}" ] ||
      hyp_skip "not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set (give url to check an API server from elsewhere)"
    case $KUBERNETES_SERVICE_HOST in
      *:*) _hyp_prebuilt_k8s_api_url=https://[$KUBERNETES_SERVICE_HOST]:${KUBERNETES_SERVICE_PORT:-443} ;;
      *) _hyp_prebuilt_k8s_api_url=https://$KUBERNETES_SERVICE_HOST:${KUBERNETES_SERVICE_PORT:-443} ;;
    esac
  fi
  if ! hyp_net_url_parse "$_hyp_prebuilt_k8s_api_url"; then
    printf 'K8S-API "%s": not an https:// URL\n' "$_hyp_prebuilt_k8s_api_url"
    return 2
  fi
  _hyp_prebuilt_k8s_api_url=${_hyp_prebuilt_k8s_api_url%/}
  _hyp_prebuilt_k8s_api_shown=${hyp_net_url_shown%/}
  _hyp_prebuilt_k8s_api_scheme=$hyp_net_scheme
  _hyp_prebuilt_k8s_api_host=$hyp_net_host
  _hyp_prebuilt_k8s_api_port=$hyp_net_port
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_k8s_api_timeout"; then
    printf 'K8S-API %s: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_k8s_api_shown" "$_hyp_prebuilt_k8s_api_timeout"
    return 2
  fi
  if [ -z "$_hyp_prebuilt_k8s_api_ns" ]; then
    _hyp_prebuilt_k8s_api_ns=default
    if [ -r "${_hyp_prebuilt_k8s_api_token%/*}/namespace" ]; then
      awk 'NR == 1 && /^[a-z0-9.-]+$/ { print; exit }' "${_hyp_prebuilt_k8s_api_token%/*}/namespace" >"$HYP_PLUGIN_DIR/k8s-ns"
      read _hyp_prebuilt_k8s_api_ns <"$HYP_PLUGIN_DIR/k8s-ns" || _hyp_prebuilt_k8s_api_ns=default
    fi
  fi
  case $_hyp_prebuilt_k8s_api_ns in
    '' | *[!a-z0-9.-]*)
      printf 'K8S-API %s: namespace "%s" is not a namespace name\n' "$_hyp_prebuilt_k8s_api_shown" "$_hyp_prebuilt_k8s_api_ns"
      return 2
      ;;
  esac
  _hyp_prebuilt_k8s_api_cafile=
  [ -r "$_hyp_prebuilt_k8s_api_ca" ] && _hyp_prebuilt_k8s_api_cafile=$_hyp_prebuilt_k8s_api_ca

  hyp_net_http_tool GET || hyp_skip "$hyp_net_missing"
  _hyp_prebuilt_k8s_api_tool=$hyp_net_tool

  # ---- the token: there, a bearer token, not expired ----
  if [ ! -r "$_hyp_prebuilt_k8s_api_token" ]; then
    printf 'K8S-API %s: no service account token at %s (automountServiceAccountToken: false?)\n' \
      "$_hyp_prebuilt_k8s_api_shown" "$_hyp_prebuilt_k8s_api_token"
    return 1
  fi
  hyp_tls_now
  # Checks the token's characters (RFC 6750), writes curl's config and the wgetrc, and decodes
  # the JWT payload (base64url) to find exp and sub. The token itself is written only to the
  # two 0600 files; what is printed to k8s-token is its claims.
  awk -v now="$hyp_tls_now" -v curlrc="$HYP_PLUGIN_DIR/k8s-curlrc" -v wgetrc="$HYP_PLUGIN_DIR/k8s-wgetrc" '
    function b64url(s,   out, i, c, v, bits, n) {
      out = ""; bits = 0; n = 0
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        v = index(A, c) - 1
        if (v < 0) continue
        bits = bits * 64 + v; n += 6
        if (n >= 8) { n -= 8; v = int(bits / P[n]); bits -= v * P[n]; out = out sprintf("%c", v) }
      }
      return out
    }
    BEGIN {
      A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
      P[0] = 1; for (i = 1; i <= 14; i++) P[i] = P[i - 1] * 2
    }
    NR == 1 { tok = $0; sub(/\r$/, "", tok) }
    END {
      if (tok == "") { print "empty"; exit }
      if (tok !~ /^[A-Za-z0-9._~+\/=-]+$/) { print "bad"; exit }
      printf "header = \"Authorization: Bearer %s\"\n", tok >curlrc
      printf "header = Authorization: Bearer %s\n", tok >wgetrc
      close(curlrc); close(wgetrc)
      if (split(tok, part, ".") != 3) { print "opaque"; exit }
      json = b64url(part[2])
      expv = ""; sub_ = ""
      if (match(json, /"exp"[ ]*:[ ]*[0-9]+/)) { expv = substr(json, RSTART, RLENGTH); sub(/.*:[ ]*/, "", expv) }
      if (match(json, /"sub"[ ]*:[ ]*"[^"]*"/)) { sub_ = substr(json, RSTART, RLENGTH); sub(/^"sub"[ ]*:[ ]*"/, "", sub_); sub(/"$/, "", sub_) }
      gsub(/[^A-Za-z0-9:._@-]/, "?", sub_)
      if (expv == "") { print "noexp"; print sub_; exit }
      left = expv - now
      print (left <= 0 ? "expired" : "ok")
      print sub_
      printf "%d\n", (left >= 0 ? int(left / 60) : int(-left / 60))
    }
  ' "$_hyp_prebuilt_k8s_api_token" >"$HYP_PLUGIN_DIR/k8s-token"
  _hyp_prebuilt_k8s_api_tstate='' _hyp_prebuilt_k8s_api_tsub='' _hyp_prebuilt_k8s_api_tmin=''
  {
    read _hyp_prebuilt_k8s_api_tstate
    read _hyp_prebuilt_k8s_api_tsub
    read _hyp_prebuilt_k8s_api_tmin
  } <"$HYP_PLUGIN_DIR/k8s-token"
  case $_hyp_prebuilt_k8s_api_tstate in
    empty | bad)
      printf 'K8S-API %s: the token file %s does not hold a bearer token (%s)\n' "$_hyp_prebuilt_k8s_api_shown" \
        "$_hyp_prebuilt_k8s_api_token" "$_hyp_prebuilt_k8s_api_tstate"
      hyp_k8s_api_forget
      return 1
      ;;
    expired)
      printf 'K8S-API %s: the service account token expired %s min ago' "$_hyp_prebuilt_k8s_api_shown" "$_hyp_prebuilt_k8s_api_tmin"
      [ -n "$_hyp_prebuilt_k8s_api_tsub" ] && printf ' (%s)' "$_hyp_prebuilt_k8s_api_tsub"
      printf '\n'
      printf 'token: %s (the kubelet refreshes projected tokens; a token copied from a Secret or a stuck kubelet does not)\n' \
        "$_hyp_prebuilt_k8s_api_token"
      hyp_k8s_api_forget
      return 1
      ;;
  esac

  # ---- TCP and TLS, with openssl: the cluster CA and the host name ----
  _hyp_prebuilt_k8s_api_tlsnote=
  if [ "$_hyp_prebuilt_k8s_api_scheme" = https ]; then
    if hyp_have openssl; then
      hyp_tls_fetch "$_hyp_prebuilt_k8s_api_host" "$_hyp_prebuilt_k8s_api_port" "$_hyp_prebuilt_k8s_api_host" \
        "$_hyp_prebuilt_k8s_api_timeout"
      if [ "$hyp_tls_stage" != ok ]; then
        printf 'K8S-API %s: ' "$_hyp_prebuilt_k8s_api_shown"
        hyp_tls_say
        printf '\n'
        hyp_k8s_api_forget
        return 1
      fi
      if ! hyp_tls_verify "$HYP_PLUGIN_DIR/tls-leaf.pem" "$HYP_PLUGIN_DIR/tls-chain.pem" "$_hyp_prebuilt_k8s_api_cafile"; then
        printf 'K8S-API %s: TLS: the server certificate does not verify against %s: ' "$_hyp_prebuilt_k8s_api_shown" \
          "${_hyp_prebuilt_k8s_api_cafile:-the system store (no $_hyp_prebuilt_k8s_api_ca)}"
        hyp_tls_verify_say
        printf '\n'
        hyp_k8s_api_forget
        return 1
      fi
      if ! hyp_tls_check_name "$HYP_PLUGIN_DIR/tls-leaf.pem" "$_hyp_prebuilt_k8s_api_host"; then
        printf 'K8S-API %s: TLS: the server certificate is not for %s: it is for ' "$_hyp_prebuilt_k8s_api_shown" \
          "$_hyp_prebuilt_k8s_api_host"
        hyp_tls_inspect "$HYP_PLUGIN_DIR/tls-leaf.pem" "$hyp_tls_now" && hyp_tls_names_say
        printf '\n'
        hyp_k8s_api_forget
        return 1
      fi
    elif [ "$_hyp_prebuilt_k8s_api_tool" = busybox-wget ]; then
      _hyp_prebuilt_k8s_api_tlsnote="the server certificate was not verified (busybox wget cannot use $_hyp_prebuilt_k8s_api_ca, and there is no openssl)"
    fi
  fi

  # ---- GET /readyz, anonymous ----
  hyp_k8s_api_request GET /readyz ''
  _hyp_prebuilt_k8s_api_ready=
  if [ "$hyp_net_stage" != ok ] || [ -z "$hyp_net_http_code" ]; then
    printf 'K8S-API %s: GET /readyz -> ' "$_hyp_prebuilt_k8s_api_shown"
    hyp_net_stage_say
    printf '\n'
    hyp_k8s_api_forget
    return 1
  fi
  case $hyp_net_http_code in
    200) _hyp_prebuilt_k8s_api_ready=1 ;;
    401 | 403) ;; # anonymous requests are disabled here: the token will tell
    *)
      hyp_http_status "$hyp_net_http_code"
      printf 'K8S-API %s: not ready: GET /readyz -> %s\n' "$_hyp_prebuilt_k8s_api_shown" "$hyp_net_http_code"
      # The failed checks, as the API server lists them.
      awk '/^\[-\]/ && n < 10 { gsub(/[[:cntrl:]]/, " "); print substr($0, 1, 200); n++ }' "$HYP_PLUGIN_DIR/net-body"
      hyp_k8s_api_forget
      return 1
      ;;
  esac

  # ---- the token, where a tool can send it without showing it ----
  if [ "$_hyp_prebuilt_k8s_api_tool" = busybox-wget ]; then
    hyp_k8s_api_forget
    printf 'K8S-API %s: ready (anonymous GET /readyz in %s ms); token not checked: busybox wget can send it only on its command line, where any process can read it (install curl or GNU wget)\n' \
      "$_hyp_prebuilt_k8s_api_shown" "$hyp_net_elapsed_ms"
    hyp_k8s_api_token_say
    [ -n "$_hyp_prebuilt_k8s_api_tlsnote" ] && printf 'note: %s\n' "$_hyp_prebuilt_k8s_api_tlsnote"
    return 0
  fi
  printf '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}\n' >"$HYP_PLUGIN_DIR/k8s-review.json"
  hyp_k8s_api_request POST /apis/authentication.k8s.io/v1/selfsubjectreviews "$HYP_PLUGIN_DIR/k8s-review.json"
  _hyp_prebuilt_k8s_api_what="POST selfsubjectreviews"
  if [ "$hyp_net_stage" = ok ] && [ "$hyp_net_http_code" = 404 ]; then
    # Before Kubernetes 1.28 there is no SelfSubjectReview: list a pod instead; a 403 still
    # proves the token was accepted, and names whose it is.
    hyp_k8s_api_request GET "/api/v1/namespaces/$_hyp_prebuilt_k8s_api_ns/pods?limit=1" ''
    _hyp_prebuilt_k8s_api_what="GET pods in $_hyp_prebuilt_k8s_api_ns"
  fi
  hyp_k8s_api_forget
  printf 'K8S-API %s: ' "$_hyp_prebuilt_k8s_api_shown"
  if [ "$hyp_net_stage" != ok ] || [ -z "$hyp_net_http_code" ]; then
    printf '%s -> ' "$_hyp_prebuilt_k8s_api_what"
    hyp_net_stage_say
    printf '\n'
    return 1
  fi
  hyp_http_status "$hyp_net_http_code"
  _hyp_prebuilt_k8s_api_rc=1
  if [ -n "$_hyp_prebuilt_k8s_api_ready" ]; then printf 'ready, '; fi
  case $hyp_net_http_code:$_hyp_prebuilt_k8s_api_what in
    200:POST* | 201:POST*)
      printf 'authenticated'
      hyp_k8s_api_json username ' as ' ' (the answer names no user)'
      printf ' in %s ms\n' "$hyp_net_elapsed_ms"
      _hyp_prebuilt_k8s_api_rc=0
      ;;
    200:GET*)
      printf 'authenticated, can list pods in %s (no SelfSubjectReview before Kubernetes 1.28) in %s ms\n' \
        "$_hyp_prebuilt_k8s_api_ns" "$hyp_net_elapsed_ms"
      _hyp_prebuilt_k8s_api_rc=0
      ;;
    403:GET*)
      printf 'authenticated'
      hyp_k8s_api_json user ' as ' ''
      printf ', not allowed to list pods in %s (no SelfSubjectReview before Kubernetes 1.28)\n' "$_hyp_prebuilt_k8s_api_ns"
      _hyp_prebuilt_k8s_api_rc=0
      ;;
    401:*)
      printf '401 token rejected'
      hyp_k8s_api_json message ': ' ''
      printf '\n'
      ;;
    403:*)
      printf '403 forbidden'
      hyp_k8s_api_json message ': ' ''
      printf '\n'
      ;;
    *)
      printf '%s -> %s' "$_hyp_prebuilt_k8s_api_what" "$hyp_net_http_code"
      hyp_k8s_api_json message ': ' ''
      printf '\n'
      ;;
  esac
  hyp_k8s_api_token_say
  [ -n "$_hyp_prebuilt_k8s_api_tlsnote" ] && printf 'note: %s\n' "$_hyp_prebuilt_k8s_api_tlsnote"
  return "$_hyp_prebuilt_k8s_api_rc"
}

# hyp_k8s_api_token_say: the detail line about the token (its subject and time left).
hyp_k8s_api_token_say() {
  case $_hyp_prebuilt_k8s_api_tstate in
    ok) printf 'token: %s, expires in %s min' "$_hyp_prebuilt_k8s_api_token" "$_hyp_prebuilt_k8s_api_tmin" ;;
    noexp) printf 'token: %s, a JWT without expiry (a legacy Secret token)' "$_hyp_prebuilt_k8s_api_token" ;;
    *) printf 'token: %s, not a JWT (expiry unknown)' "$_hyp_prebuilt_k8s_api_token" ;;
  esac
  [ -n "$_hyp_prebuilt_k8s_api_tsub" ] && printf ', for %s' "$_hyp_prebuilt_k8s_api_tsub"
  printf '\n'
}

# hyp_k8s_api_forget: removes every file that holds the token.
hyp_k8s_api_forget() {
  rm -f "$HYP_PLUGIN_DIR/k8s-curlrc" "$HYP_PLUGIN_DIR/k8s-wgetrc" "$HYP_PLUGIN_DIR/net-err"
}

# hyp_k8s_api_json FIELD PREFIX FALLBACK: prints, with no newline, PREFIX and FIELD of the JSON
# answer in net-body, or FALLBACK when the answer has none. FIELD: username (a
# SelfSubjectReview's), message (a Status's), or user (the User "..." a 403 Status's message
# names).
hyp_k8s_api_json() {
  awk -v field="$1" -v prefix="$2" -v fallback="$3" '
    { body = body $0 "\n"; if (length(body) > 65536) exit }
    END {
      gsub(/\\"/, "\001", body)
      want = field == "user" ? "message" : field
      v = ""
      if (match(body, "\"" want "\"[ ]*:[ ]*\"[^\"]*\"")) {
        v = substr(body, RSTART, RLENGTH); sub(/^"[^"]*"[ ]*:[ ]*"/, "", v); sub(/"$/, "", v)
      }
      if (field == "user") {
        if (match(v, /User \001[^\001]*\001/)) { v = substr(v, RSTART + 6, RLENGTH - 7) } else v = ""
      }
      gsub(/\001/, "\"", v)
      gsub(/[[:cntrl:]]/, " ", v)
      if (length(v) > 300) v = substr(v, 1, 300) "..."
      if (v == "") printf "%s", fallback; else printf "%s%s", prefix, v
    }
  ' "$HYP_PLUGIN_DIR/net-body"
}

# hyp_k8s_api_request METHOD PATH BODY_FILE: one request to the API server with the tool
# hyp_net_http_tool picked, the cluster CA, and the token when BODY_FILE is given or METHOD is
# not GET /readyz. The answer lands in net-body; hyp_net_stage, hyp_net_http_code and
# hyp_net_elapsed_ms as from lib/net.
# shellcheck disable=SC2154,SC2162 # hyp_net_* are set by lib/net; read: see lib/net
hyp_k8s_api_request() {
  _hyp_k8s_api_request_method=$1 _hyp_k8s_api_request_body=$3
  _hyp_k8s_api_request_url=$_hyp_prebuilt_k8s_api_url$2
  _hyp_k8s_api_request_auth=1
  [ "$2" = /readyz ] && _hyp_k8s_api_request_auth=
  rm -f "$HYP_PLUGIN_DIR/net-body" "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err"
  hyp_net_timed_out='' _hyp_k8s_api_request_code=''
  case $_hyp_prebuilt_k8s_api_tool in
    curl)
      set -- curl -q -sS -v -o "$HYP_PLUGIN_DIR/net-body" -w '%{http_code}\n' --max-time "$_hyp_prebuilt_k8s_api_timeout"
      if [ -n "$_hyp_prebuilt_k8s_api_cafile" ]; then set -- "$@" --cacert "$_hyp_prebuilt_k8s_api_cafile"; fi
      [ -n "$_hyp_k8s_api_request_auth" ] && set -- "$@" -K "$HYP_PLUGIN_DIR/k8s-curlrc"
      [ -n "$_hyp_k8s_api_request_body" ] && set -- "$@" -X "$_hyp_k8s_api_request_method" \
        -H 'Content-Type: application/json' --data-binary "@$_hyp_k8s_api_request_body"
      hyp_now_ms
      _hyp_k8s_api_request_t0=$hyp_ms
      LC_ALL=C "$@" "$_hyp_k8s_api_request_url" </dev/null >"$HYP_PLUGIN_DIR/net-out" 2>"$HYP_PLUGIN_DIR/net-err"
      hyp_net_rc=$?
      hyp_now_ms
      read _hyp_k8s_api_request_code <"$HYP_PLUGIN_DIR/net-out" || _hyp_k8s_api_request_code=
      ;;
    *)
      if [ "$_hyp_prebuilt_k8s_api_tool" = wget ]; then
        set -- wget -nv -S -O "$HYP_PLUGIN_DIR/net-body" --tries=1 --max-redirect=0 --no-hsts --content-on-error \
          -T "$_hyp_prebuilt_k8s_api_timeout"
        if [ -n "$_hyp_prebuilt_k8s_api_cafile" ]; then set -- "$@" --ca-certificate="$_hyp_prebuilt_k8s_api_cafile"; fi
        [ -n "$_hyp_k8s_api_request_body" ] && set -- "$@" --method="$_hyp_k8s_api_request_method" \
          --header='Content-Type: application/json' --body-file="$_hyp_k8s_api_request_body"
        # GNU wget reads the Authorization header from the wgetrc WGETRC names; else no wgetrc.
        if [ -n "$_hyp_k8s_api_request_auth" ]; then
          WGETRC=$HYP_PLUGIN_DIR/k8s-wgetrc
        else
          : >"$HYP_PLUGIN_DIR/k8s-wgetrc-none"
          WGETRC=$HYP_PLUGIN_DIR/k8s-wgetrc-none
        fi
        export WGETRC
      else
        # busybox wget: anonymous GETs only (see the header); the certificate was checked with
        # openssl, when there is one, as busybox wget cannot take a CA file.
        if [ "$hyp_net_wget_cmd" = busybox ]; then set -- busybox wget; else set -- wget; fi
        set -- "$@" -q -S -O "$HYP_PLUGIN_DIR/net-body" --no-check-certificate
      fi
      hyp_net_ceil_secs "$_hyp_prebuilt_k8s_api_timeout" || hyp_net_secs=5
      hyp_now_ms
      _hyp_k8s_api_request_t0=$hyp_ms
      hyp_net_run "$hyp_net_secs" "$HYP_PLUGIN_DIR/net-out" "$HYP_PLUGIN_DIR/net-err" "$@" "$_hyp_k8s_api_request_url"
      hyp_now_ms
      unset WGETRC
      ;;
  esac
  hyp_net_elapsed_ms=$((hyp_ms - _hyp_k8s_api_request_t0))
  : >>"$HYP_PLUGIN_DIR/net-body"
  _hyp_k8s_api_request_tls=
  [ "$_hyp_prebuilt_k8s_api_scheme" = https ] && _hyp_k8s_api_request_tls=1
  hyp_net_classify "$_hyp_prebuilt_k8s_api_tool" "$hyp_net_rc" "$hyp_net_timed_out" "$_hyp_prebuilt_k8s_api_timeout" \
    "$HYP_PLUGIN_DIR/net-err" "$_hyp_k8s_api_request_code" "$_hyp_k8s_api_request_tls"
  # GNU wget exits 6 ("Username/Password Authentication Failed") on a 401: an answer all the same.
  if [ "$_hyp_prebuilt_k8s_api_tool" = wget ] && [ "$hyp_net_rc" = 6 ] && [ "$hyp_net_http_code" = 401 ]; then
    hyp_net_stage=ok
  fi
}
