# hypothecary prebuilt: AWS-STS
# summary: Calls sts:GetCallerIdentity, SigV4-signed, with the credentials this pod really has, found in the AWS SDKs' order: environment keys, IRSA web identity, EKS Pod Identity / ECS container credentials, EC2 instance metadata (IMDSv2).
# reports: on success the caller's ARN and account, where the credentials came from, the signer and the latency; on failure the stage that failed: no credentials, credentials endpoint, DNS, TCP connect, TLS, or HTTP status with AWS's error code and message (clock skew called out, with the offset).
# function: hyp_prebuilt_aws_sts
# requires: plugin-api lib/sigv4 lib/time
# param region: string = "" -- the STS region; empty: AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1
# param endpoint: string = "" -- an STS endpoint URL (VPC endpoint, proxy); AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL take precedence, as the pod's SDK would use them
# param timeout: duration = 10s -- the limit for each network call
# param signer: string = auto, one of auto|curl|openssl -- auto: curl --aws-sigv4 when curl is 7.86 or newer, else the openssl signer (lib/sigv4)

# Why this shape:
# - Credentials are resolved the way the SDK in the application would, so a pass means "the
#   identity this pod actually has works from here", and a failure names the link that broke.
# - No secret ever reaches a command line (/proc/PID/cmdline is world-readable). Credentials go
#   from the environment or a response body into 0600 files (awk reads ENVIRON and files), and
#   from files into curl's config file (`curl -K FILE`) or lib/sigv4. `printf` is not a builtin
#   in mksh and posh, so it never sees a secret either.
# - Every network call is bounded by the `timeout` parameter, and nothing is left running.
# - Responses (XML, JSON) stay in files and are read with awk, never held raw in variables.

hyp_prebuilt_aws_sts() {
  umask 077
  _hyp_aws_sts_d="$HYP_PLUGIN_DIR/aws-sts"
  rm -rf "$_hyp_aws_sts_d"
  if ! mkdir "$_hyp_aws_sts_d"; then
    printf 'AWS-STS fail: cannot create a private folder in HYP_PLUGIN_DIR (%s)\n' "$HYP_PLUGIN_DIR"
    return 1
  fi
  # Seconds, whole or decimal, as the compiler passes durations. Zero would mean "no limit" to
  # curl: never that.
  _hyp_aws_sts_timeout=${hyp_arg_timeout:-10}
  case $_hyp_aws_sts_timeout in *[!0-9.]* | *.*.* | .) _hyp_aws_sts_timeout=10 ;; esac
  ! _hyp_aws_sts_zero "$_hyp_aws_sts_timeout" || _hyp_aws_sts_timeout=10
  _hyp_aws_sts_notes='' _hyp_aws_sts_n_cred='' _hyp_aws_sts_n_endpoint='' _hyp_aws_sts_n_signer=''
  _hyp_aws_sts_now
  _hyp_aws_sts_started=$_hyp_aws_sts_ms

  _hyp_aws_sts_region_and_endpoint || { _hyp_aws_sts_cleanup; return 1; }
  _hyp_aws_sts_pick_tools || { _hyp_aws_sts_cleanup; return 1; }

  # 1. Credentials, in the SDK's order.
  _hyp_aws_sts_credentials
  _hyp_aws_sts_status=$?
  if [ "$_hyp_aws_sts_status" -ne 0 ]; then
    _hyp_aws_sts_cleanup
    return 1
  fi

  # 2. GetCallerIdentity with them.
  _hyp_aws_sts_caller_identity
  _hyp_aws_sts_status=$?
  _hyp_aws_sts_cleanup
  return "$_hyp_aws_sts_status"
}

# _hyp_aws_sts_cleanup: removes the credentials and everything derived from them.
_hyp_aws_sts_cleanup() {
  rm -rf "$_hyp_aws_sts_d"
}

# _hyp_aws_sts_skip REASON: cleans up, then ends the plugin as skipped.
_hyp_aws_sts_skip() {
  _hyp_aws_sts_cleanup
  hyp_skip "AWS-STS: $1"
}

# _hyp_aws_sts_now: sets _hyp_aws_sts_ms to a monotonic clock in ms (/proc/uptime, 10 ms steps;
# whole seconds from `date` where there is no /proc).
_hyp_aws_sts_now() {
  if [ -r /proc/uptime ]; then
    # shellcheck disable=SC2162 # plain read: posh's `read -r` breaks its next `wait` (docs/shell-bugs.md)
    read _hyp_aws_sts_up _hyp_aws_sts_idle </proc/uptime
    _hyp_aws_sts_cs=${_hyp_aws_sts_up%.*}${_hyp_aws_sts_up#*.}
    while :; do
      case $_hyp_aws_sts_cs in 0?*) _hyp_aws_sts_cs=${_hyp_aws_sts_cs#0} ;; *) break ;; esac
    done
    _hyp_aws_sts_ms=$((_hyp_aws_sts_cs * 10))
  else
    _hyp_aws_sts_ms=$(($(date +%s) * 1000))
  fi
}

# _hyp_aws_sts_note TEXT: adds a detail line to print after the first line.
_hyp_aws_sts_note() {
  _hyp_aws_sts_notes="$_hyp_aws_sts_notes
  $1"
}

# _hyp_aws_sts_print_notes: prints the detail lines gathered so far: where the credentials came
# from, the endpoint and the signer first, then warnings and hints in the order they arose.
_hyp_aws_sts_print_notes() {
  for _hyp_aws_sts_line in "$_hyp_aws_sts_n_cred" "$_hyp_aws_sts_n_endpoint" "$_hyp_aws_sts_n_signer"; do
    [ -z "$_hyp_aws_sts_line" ] || printf '  %s\n' "$_hyp_aws_sts_line"
  done
  [ -z "$_hyp_aws_sts_notes" ] || printf '%s\n' "${_hyp_aws_sts_notes#?}"
}

# _hyp_aws_sts_fail STAGE [FILE]: prints the failure line "AWS-STS fail: STAGE", followed by the
# first line of FILE (text from a server or a tool, made printable and capped), then the notes.
_hyp_aws_sts_fail() {
  if [ -n "${2:-}" ] && [ -s "$2" ]; then
    printf 'AWS-STS fail: %s' "$1"
    _hyp_aws_sts_printable "$2"
    printf '\n'
  else
    # No text to append: drop the ": " that announced it.
    printf 'AWS-STS fail: %s\n' "${1%: }"
  fi
  _hyp_aws_sts_print_notes
  return 1
}

# _hyp_aws_sts_printable FILE: prints FILE's first non-empty line as safe text: bytes outside
# printable ASCII become "?", at most 300 characters.
_hyp_aws_sts_printable() {
  LC_ALL=C awk '
    { sub(/\r$/, "") }
    $0 != "" {
      gsub(/[^ -~]/, "?")
      if (length($0) > 300) $0 = substr($0, 1, 300) "..."
      printf "%s", $0
      exit
    }' "$1"
}

# ---------------------------------------------------------------------------------------------
# Configuration

# _hyp_aws_sts_region_and_endpoint: sets _hyp_aws_sts_region and _hyp_aws_sts_url.
_hyp_aws_sts_region_and_endpoint() {
  _hyp_aws_sts_region=${hyp_arg_region:-}
  _hyp_aws_sts_region_from='from the region parameter'
  if [ -z "$_hyp_aws_sts_region" ] && [ -n "${AWS_REGION:-}" ]; then
    _hyp_aws_sts_region=$AWS_REGION _hyp_aws_sts_region_from='from AWS_REGION'
  fi
  if [ -z "$_hyp_aws_sts_region" ] && [ -n "${AWS_DEFAULT_REGION:-}" ]; then
    _hyp_aws_sts_region=$AWS_DEFAULT_REGION _hyp_aws_sts_region_from='from AWS_DEFAULT_REGION'
  fi
  if [ -z "$_hyp_aws_sts_region" ]; then
    # The application's SDK would stop at "Region is missing"; the check still tells whether
    # the identity works, against the first region.
    _hyp_aws_sts_region=us-east-1 _hyp_aws_sts_region_from='by default, none configured'
  fi
  case $_hyp_aws_sts_region in
    *[!a-z0-9-]*)
      _hyp_aws_sts_fail "configuration: region '$_hyp_aws_sts_region' ($_hyp_aws_sts_region_from) is not an AWS region name"
      return 1
      ;;
  esac

  _hyp_aws_sts_url='' _hyp_aws_sts_url_from=''
  case ${AWS_IGNORE_CONFIGURED_ENDPOINT_URLS:-} in
    [Tt][Rr][Uu][Ee]) ;;
    *)
      if [ -n "${AWS_ENDPOINT_URL_STS:-}" ]; then
        _hyp_aws_sts_url=$AWS_ENDPOINT_URL_STS _hyp_aws_sts_url_from=AWS_ENDPOINT_URL_STS
      elif [ -n "${AWS_ENDPOINT_URL:-}" ]; then
        _hyp_aws_sts_url=$AWS_ENDPOINT_URL _hyp_aws_sts_url_from=AWS_ENDPOINT_URL
      fi
      ;;
  esac
  if [ -z "$_hyp_aws_sts_url" ] && [ -n "${hyp_arg_endpoint:-}" ]; then
    _hyp_aws_sts_url=$hyp_arg_endpoint _hyp_aws_sts_url_from='the endpoint parameter'
  fi
  if [ -z "$_hyp_aws_sts_url" ]; then
    # The regional endpoint, in the region's partition (the SDKs' endpoint rules for STS).
    case $_hyp_aws_sts_region in
      cn-*) _hyp_aws_sts_suffix=amazonaws.com.cn ;;
      us-isob-*) _hyp_aws_sts_suffix=sc2s.sgov.gov ;;
      us-iso-*) _hyp_aws_sts_suffix=c2s.ic.gov ;;
      *) _hyp_aws_sts_suffix=amazonaws.com ;;
    esac
    _hyp_aws_sts_host=sts
    case ${AWS_USE_FIPS_ENDPOINT:-} in [Tt][Rr][Uu][Ee]) _hyp_aws_sts_host=sts-fips ;; esac
    case ${AWS_USE_DUALSTACK_ENDPOINT:-} in [Tt][Rr][Uu][Ee]) _hyp_aws_sts_suffix=api.aws ;; esac
    _hyp_aws_sts_url="https://$_hyp_aws_sts_host.$_hyp_aws_sts_region.$_hyp_aws_sts_suffix/"
    _hyp_aws_sts_url_from='regional endpoint'
  fi
  case $_hyp_aws_sts_url in
    https://?* | http://?*) ;;
    *)
      _hyp_aws_sts_fail "configuration: STS endpoint '$_hyp_aws_sts_url' (from $_hyp_aws_sts_url_from) is not an http:// or https:// URL"
      return 1
      ;;
  esac
  _hyp_aws_sts_n_endpoint="endpoint: $_hyp_aws_sts_url ($_hyp_aws_sts_url_from; region $_hyp_aws_sts_region $_hyp_aws_sts_region_from)"
  # A proxy is one of the links that break (the seed's "outbound proxy is working"): name it,
  # host and port only (the variable may carry a password). curl reads these; see NO_PROXY.
  _hyp_aws_sts_proxy='' _hyp_aws_sts_proxy_var=''
  case $_hyp_aws_sts_url in
    https:*)
      if [ -n "${https_proxy:-}" ]; then _hyp_aws_sts_proxy=$https_proxy _hyp_aws_sts_proxy_var=https_proxy
      elif [ -n "${HTTPS_PROXY:-}" ]; then _hyp_aws_sts_proxy=$HTTPS_PROXY _hyp_aws_sts_proxy_var=HTTPS_PROXY; fi
      ;;
    *)
      # curl ignores HTTP_PROXY in capitals (httpoxy); only the lower-case name counts.
      if [ -n "${http_proxy:-}" ]; then _hyp_aws_sts_proxy=$http_proxy _hyp_aws_sts_proxy_var=http_proxy; fi
      ;;
  esac
  if [ -z "$_hyp_aws_sts_proxy" ] && [ -n "${ALL_PROXY:-${all_proxy:-}}" ]; then
    _hyp_aws_sts_proxy=${ALL_PROXY:-${all_proxy:-}} _hyp_aws_sts_proxy_var=ALL_PROXY
  fi
  if [ -n "$_hyp_aws_sts_proxy" ]; then
    _hyp_aws_sts_proxy=${_hyp_aws_sts_proxy#*://}
    _hyp_aws_sts_proxy=${_hyp_aws_sts_proxy##*@}
    _hyp_aws_sts_proxy=${_hyp_aws_sts_proxy%%/*}
    _hyp_aws_sts_n_endpoint="$_hyp_aws_sts_n_endpoint, through the proxy $_hyp_aws_sts_proxy ($_hyp_aws_sts_proxy_var, unless NO_PROXY matches)"
  fi
}

# _hyp_aws_sts_pick_tools: chooses the signer (_hyp_aws_sts_signer: curl | openssl) and the
# transport (_hyp_aws_sts_transport: curl | s_client), or skips saying what is missing.
_hyp_aws_sts_pick_tools() {
  _hyp_aws_sts_curl_version=
  _hyp_aws_sts_curl_sigv4=
  if hyp_have curl; then
    curl --version >"$_hyp_aws_sts_d/curl.version" 2>/dev/null
    # shellcheck disable=SC2162 # plain read, as above; "curl 7.88.1 (x86_64-pc-linux-gnu) ..."
    read _hyp_aws_sts_word _hyp_aws_sts_curl_version _hyp_aws_sts_rest <"$_hyp_aws_sts_d/curl.version"
    _hyp_aws_sts_major=${_hyp_aws_sts_curl_version%%.*}
    _hyp_aws_sts_minor=${_hyp_aws_sts_curl_version#*.}
    _hyp_aws_sts_minor=${_hyp_aws_sts_minor%%.*}
    case $_hyp_aws_sts_major$_hyp_aws_sts_minor in
      '' | *[!0-9]*) ;;
      *)
        # --aws-sigv4 exists since 7.75, but before 7.86 (curl PR #7966) it left user headers
        # such as x-amz-security-token out of the canonical request and signed Host without
        # a non-default port, both of which AWS rejects.
        if [ "$_hyp_aws_sts_major" -gt 7 ] || { [ "$_hyp_aws_sts_major" -eq 7 ] && [ "$_hyp_aws_sts_minor" -ge 86 ]; }; then
          _hyp_aws_sts_curl_sigv4=1
        fi
        ;;
    esac
  fi
  _hyp_aws_sts_openssl=
  hyp_have openssl && _hyp_aws_sts_openssl=1

  case ${hyp_arg_signer:-auto} in
    curl)
      [ -n "$_hyp_aws_sts_curl_sigv4" ] ||
        _hyp_aws_sts_skip "signer=curl needs curl 7.86 or newer (found: ${_hyp_aws_sts_curl_version:-no curl})"
      _hyp_aws_sts_signer=curl
      ;;
    openssl)
      [ -n "$_hyp_aws_sts_openssl" ] || _hyp_aws_sts_skip "signer=openssl needs the openssl command, which is missing"
      _hyp_aws_sts_signer=openssl
      ;;
    auto)
      if [ -n "$_hyp_aws_sts_curl_sigv4" ]; then
        _hyp_aws_sts_signer=curl
      elif [ -n "$_hyp_aws_sts_openssl" ]; then
        _hyp_aws_sts_signer=openssl
      else
        _hyp_aws_sts_skip "no SigV4 signer: curl 7.86+ (found: ${_hyp_aws_sts_curl_version:-no curl}) and openssl are both missing"
      fi
      ;;
    *)
      _hyp_aws_sts_fail "configuration: signer '${hyp_arg_signer:-}' is not one of auto, curl, openssl"
      return 1
      ;;
  esac
  if [ -n "$_hyp_aws_sts_curl_version" ]; then
    _hyp_aws_sts_transport=curl
  elif [ -n "$_hyp_aws_sts_openssl" ]; then
    # Without curl, requests go over `openssl s_client`, which speaks only TLS and has no
    # timeout of its own: we bound it with `kill`, a program in posh (no builtin), maybe absent.
    hyp_have kill || _hyp_aws_sts_skip "no HTTP client: curl is missing, and openssl s_client cannot be bounded without a kill command"
    _hyp_aws_sts_transport=s_client
  else
    _hyp_aws_sts_skip "no HTTP client: curl and openssl are both missing"
  fi
  if [ "$_hyp_aws_sts_signer" = curl ]; then
    _hyp_aws_sts_signer_text="curl $_hyp_aws_sts_curl_version --aws-sigv4"
  elif [ "$_hyp_aws_sts_transport" = curl ]; then
    _hyp_aws_sts_signer_text="openssl (lib/sigv4), sent with curl $_hyp_aws_sts_curl_version"
  else
    _hyp_aws_sts_signer_text="openssl (lib/sigv4), sent with openssl s_client (no curl)"
    [ -z "$_hyp_aws_sts_proxy" ] ||
      _hyp_aws_sts_note "warning: $_hyp_aws_sts_proxy_var is set, but openssl s_client connects directly (install curl to go through the proxy)"
  fi
  _hyp_aws_sts_n_signer="signer: $_hyp_aws_sts_signer_text"
}

# ---------------------------------------------------------------------------------------------
# Credentials

# _hyp_aws_sts_credentials: finds the pod's credentials as the SDK's default chain does and
# leaves them in $_hyp_aws_sts_d/cred/{akid,secret,token}. Sets _hyp_aws_sts_source (short, for
# the first line). Returns 1 after printing the failure.
_hyp_aws_sts_credentials() {
  _hyp_aws_sts_c="$_hyp_aws_sts_d/cred"
  mkdir "$_hyp_aws_sts_c" || return 1
  _hyp_aws_sts_tried=

  # Environment keys. With only one of the pair set the SDK moves on: say so, it is a classic.
  if [ -n "${AWS_ACCESS_KEY_ID:-}" ] && [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; then
    # awk reads them from its environment: no argument, no temporary file.
    LC_ALL=C awk -v dir="$_hyp_aws_sts_c" 'BEGIN {
      print ENVIRON["AWS_ACCESS_KEY_ID"] >(dir "/akid")
      print ENVIRON["AWS_SECRET_ACCESS_KEY"] >(dir "/secret")
      if (ENVIRON["AWS_SESSION_TOKEN"] != "") print ENVIRON["AWS_SESSION_TOKEN"] >(dir "/token")
    }' || return 1
    if [ -s "$_hyp_aws_sts_c/akid" ] && [ -s "$_hyp_aws_sts_c/secret" ]; then
      if [ -s "$_hyp_aws_sts_c/token" ]; then
        _hyp_aws_sts_source='environment keys with session token'
        _hyp_aws_sts_n_cred="credentials: AWS_ACCESS_KEY_ID ($(_hyp_aws_sts_masked)), AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the environment"
      else
        _hyp_aws_sts_source='environment keys'
        _hyp_aws_sts_n_cred="credentials: AWS_ACCESS_KEY_ID ($(_hyp_aws_sts_masked)) and AWS_SECRET_ACCESS_KEY from the environment"
      fi
      return 0
    fi
    # Set but not exported: the application's SDK cannot see them either.
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are set but not exported"
  elif [ -n "${AWS_ACCESS_KEY_ID:-}" ]; then
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY (ignored, as the SDK does)"
  elif [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; then
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID (ignored, as the SDK does)"
  else
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
  fi

  # The SDKs read shared config/credentials files next (profiles: static keys, SSO, assume
  # role, credential_process). This check does not follow profiles; when one is there, the
  # application may hold another identity than the one checked, so say so.
  for _hyp_aws_sts_file in "${AWS_SHARED_CREDENTIALS_FILE:-${HOME:-/nonexistent}/.aws/credentials}" \
    "${AWS_CONFIG_FILE:-${HOME:-/nonexistent}/.aws/config}"; do
    if [ -s "$_hyp_aws_sts_file" ]; then
      _hyp_aws_sts_note "warning: $_hyp_aws_sts_file exists: the SDK would try profile ${AWS_PROFILE:-default} there before the sources below; this check does not read profiles"
    fi
  done

  # IRSA: a projected service-account token exchanged for role credentials.
  if [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ] && [ -n "${AWS_ROLE_ARN:-}" ]; then
    _hyp_aws_sts_web_identity
    return
  elif [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ]; then
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; AWS_WEB_IDENTITY_TOKEN_FILE is set without AWS_ROLE_ARN (is the service account annotated with eks.amazonaws.com/role-arn?)"
  elif [ -n "${AWS_ROLE_ARN:-}" ]; then
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; AWS_ROLE_ARN is set without AWS_WEB_IDENTITY_TOKEN_FILE"
  else
    _hyp_aws_sts_tried="$_hyp_aws_sts_tried; no web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)"
  fi

  # EKS Pod Identity and ECS task roles: a local credentials endpoint.
  if [ -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ] || [ -n "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" ]; then
    _hyp_aws_sts_container
    return
  fi
  _hyp_aws_sts_tried="$_hyp_aws_sts_tried; no container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)"

  # The EC2 instance profile, through IMDS.
  case ${AWS_EC2_METADATA_DISABLED:-} in
    [Tt][Rr][Uu][Ee])
      _hyp_aws_sts_tried="$_hyp_aws_sts_tried; instance metadata disabled (AWS_EC2_METADATA_DISABLED=true)"
      ;;
    *)
      _hyp_aws_sts_imds
      return
      ;;
  esac
  _hyp_aws_sts_no_credentials
}

# _hyp_aws_sts_no_credentials: the chain came up empty.
_hyp_aws_sts_no_credentials() {
  _hyp_aws_sts_n_cred="tried: ${_hyp_aws_sts_tried#; }"
  _hyp_aws_sts_fail "no credentials: nothing in the SDK's credential chain gives this pod an AWS identity"
}

# _hyp_aws_sts_masked: prints the access key id as ****LAST4 (it names the key; the secret
# stays secret regardless).
_hyp_aws_sts_masked() {
  LC_ALL=C awk 'NR == 1 { n = length($0); printf "%s", (n > 4 ? "****" substr($0, n - 3) : "****"); exit }' "$_hyp_aws_sts_c/akid"
}

# _hyp_aws_sts_web_identity: AssumeRoleWithWebIdentity (unsigned: the token is the proof).
_hyp_aws_sts_web_identity() {
  _hyp_aws_sts_source='web identity (IRSA)'
  _hyp_aws_sts_what="web identity: AssumeRoleWithWebIdentity for $AWS_ROLE_ARN"
  if [ ! -r "$AWS_WEB_IDENTITY_TOKEN_FILE" ] || [ ! -s "$AWS_WEB_IDENTITY_TOKEN_FILE" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: the token file $AWS_WEB_IDENTITY_TOKEN_FILE is missing, empty or unreadable (is the projected service-account token mounted?)"
    return 1
  fi
  _hyp_aws_sts_session=${AWS_ROLE_SESSION_NAME:-hypothecary-$(date +%s)}
  # The form body, URL-encoded by awk; the token goes from its file straight into the body.
  _HYP_AWS_STS_ROLE=$AWS_ROLE_ARN _HYP_AWS_STS_SESSION=$_hyp_aws_sts_session LC_ALL=C awk '
    function enc(s,    out, i, c) {
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        out = out (c ~ /[A-Za-z0-9_.~-]/ ? c : sprintf("%%%02X", ORD[c]))
      }
      return out
    }
    BEGIN { for (i = 1; i < 256; i++) ORD[sprintf("%c", i)] = i }
    { sub(/\r$/, ""); token = token $0 }
    END {
      printf "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=%s&RoleSessionName=%s&WebIdentityToken=%s",
        enc(ENVIRON["_HYP_AWS_STS_ROLE"]), enc(ENVIRON["_HYP_AWS_STS_SESSION"]), enc(token)
    }' "$AWS_WEB_IDENTITY_TOKEN_FILE" >"$_hyp_aws_sts_d/req.body" || return 1
  printf 'Content-Type: application/x-www-form-urlencoded; charset=utf-8\n' >"$_hyp_aws_sts_d/req.headers"
  _hyp_aws_sts_http POST "$_hyp_aws_sts_url" plain
  if [ -n "$_hyp_aws_sts_http_fail" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what at $_hyp_aws_sts_url: $_hyp_aws_sts_http_fail" "$_hyp_aws_sts_d/resp.err"
    return 1
  fi
  _hyp_aws_sts_xml "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/x" Code Message Arn
  if [ "$_hyp_aws_sts_http_code" != 200 ]; then
    # GetCallerIdentity will not run: this is the STS status the plugin observed.
    hyp_http_status "$_hyp_aws_sts_http_code"
    _hyp_aws_sts_error_text
    _hyp_aws_sts_irsa_hint
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what at $_hyp_aws_sts_url: HTTP $_hyp_aws_sts_http_code $_hyp_aws_sts_error: " "$_hyp_aws_sts_d/x.Message"
    return 1
  fi
  # The credentials go from the XML straight into their files.
  _hyp_aws_sts_xml "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_c" AccessKeyId SecretAccessKey SessionToken
  mv "$_hyp_aws_sts_c/AccessKeyId" "$_hyp_aws_sts_c/akid" 2>/dev/null
  mv "$_hyp_aws_sts_c/SecretAccessKey" "$_hyp_aws_sts_c/secret" 2>/dev/null
  mv "$_hyp_aws_sts_c/SessionToken" "$_hyp_aws_sts_c/token" 2>/dev/null
  if [ ! -s "$_hyp_aws_sts_c/akid" ] || [ ! -s "$_hyp_aws_sts_c/secret" ] || [ ! -s "$_hyp_aws_sts_c/token" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what at $_hyp_aws_sts_url: HTTP 200 without AccessKeyId, SecretAccessKey and SessionToken (not an STS answer?)"
    return 1
  fi
  _hyp_aws_sts_n_cred="credentials: web identity token $AWS_WEB_IDENTITY_TOKEN_FILE exchanged for $AWS_ROLE_ARN (session $_hyp_aws_sts_session) in $_hyp_aws_sts_http_ms ms"
  return 0
}

# _hyp_aws_sts_irsa_hint: what the usual AssumeRoleWithWebIdentity errors mean.
_hyp_aws_sts_irsa_hint() {
  case $_hyp_aws_sts_error in
    InvalidIdentityToken*) _hyp_aws_sts_note "hint: STS does not trust the token's issuer: is the cluster's OIDC provider registered in IAM, and the token's audience sts.amazonaws.com?" ;;
    AccessDenied*) _hyp_aws_sts_note "hint: the role's trust policy does not allow this service account (check its sub/aud conditions and the namespace:name)" ;;
    ExpiredToken*) _hyp_aws_sts_note "hint: the projected token expired: the kubelet refreshes it; a pod that read it once and cached it will fail like this" ;;
  esac
}

# _hyp_aws_sts_container: ECS task role / EKS Pod Identity credentials endpoint.
_hyp_aws_sts_container() {
  if [ -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ]; then
    _hyp_aws_sts_curl_url="http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
    _hyp_aws_sts_source='ECS container credentials'
  else
    _hyp_aws_sts_curl_url=$AWS_CONTAINER_CREDENTIALS_FULL_URI
    _hyp_aws_sts_source='container credentials'
    # The SDKs only talk to https, loopback or the ECS/EKS link-local hosts: a full URI elsewhere
    # would send the authorization token to a stranger.
    case $_hyp_aws_sts_curl_url in
      http://169.254.170.23[:/]* | http://169.254.170.23 | 'http://[fd00:ec2::23]'*) _hyp_aws_sts_source='EKS Pod Identity' ;;
      http://169.254.170.2[:/]* | http://169.254.170.2) _hyp_aws_sts_source='ECS container credentials' ;;
      https://*) ;;
      http://127.[0-9]* | http://localhost[:/]* | http://localhost | 'http://[::1]'*) ;;
      *)
        _hyp_aws_sts_fail "credentials endpoint: AWS_CONTAINER_CREDENTIALS_FULL_URI $_hyp_aws_sts_curl_url is not allowed: the SDKs accept only https, loopback, or 169.254.170.2 / 169.254.170.23"
        return 1
        ;;
    esac
  fi
  _hyp_aws_sts_what="$_hyp_aws_sts_source at $_hyp_aws_sts_curl_url"
  : >"$_hyp_aws_sts_d/req.headers"
  if [ -n "${AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:-}" ]; then
    if [ ! -r "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" ]; then
      _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: the token file $AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) is not readable"
      return 1
    fi
    LC_ALL=C awk '{ sub(/\r$/, ""); t = t $0 } END { print "Authorization: " t }' "$AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" >"$_hyp_aws_sts_d/req.headers" || return 1
  elif [ -n "${AWS_CONTAINER_AUTHORIZATION_TOKEN:-}" ]; then
    LC_ALL=C awk 'BEGIN { print "Authorization: " ENVIRON["AWS_CONTAINER_AUTHORIZATION_TOKEN"] }' >"$_hyp_aws_sts_d/req.headers" || return 1
  fi
  rm -f "$_hyp_aws_sts_d/req.body"
  if [ "$_hyp_aws_sts_transport" != curl ]; then
    case $_hyp_aws_sts_curl_url in
      http:*) _hyp_aws_sts_skip "the $_hyp_aws_sts_what needs curl (plain HTTP; openssl s_client speaks only TLS)" ;;
    esac
  fi
  _hyp_aws_sts_http GET "$_hyp_aws_sts_curl_url" local
  if [ -n "$_hyp_aws_sts_http_fail" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: $_hyp_aws_sts_http_fail" "$_hyp_aws_sts_d/resp.err"
    return 1
  fi
  _hyp_aws_sts_json "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/j" Message message Code
  if [ "$_hyp_aws_sts_http_code" != 200 ]; then
    [ -s "$_hyp_aws_sts_d/j.Message" ] || mv "$_hyp_aws_sts_d/j.message" "$_hyp_aws_sts_d/j.Message" 2>/dev/null
    [ -s "$_hyp_aws_sts_d/j.Message" ] || cp "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/j.Message" 2>/dev/null
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: HTTP $_hyp_aws_sts_http_code: " "$_hyp_aws_sts_d/j.Message"
    return 1
  fi
  _hyp_aws_sts_json_credentials || return 1
  _hyp_aws_sts_n_cred="credentials: $_hyp_aws_sts_what (AWS_CONTAINER_CREDENTIALS_*) in $_hyp_aws_sts_http_ms ms"
}

# _hyp_aws_sts_json_credentials: the container/IMDS JSON answer into the credential files.
_hyp_aws_sts_json_credentials() {
  _hyp_aws_sts_json "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_c" AccessKeyId SecretAccessKey Token
  mv "$_hyp_aws_sts_c/AccessKeyId" "$_hyp_aws_sts_c/akid" 2>/dev/null
  mv "$_hyp_aws_sts_c/SecretAccessKey" "$_hyp_aws_sts_c/secret" 2>/dev/null
  mv "$_hyp_aws_sts_c/Token" "$_hyp_aws_sts_c/token" 2>/dev/null
  if [ ! -s "$_hyp_aws_sts_c/akid" ] || [ ! -s "$_hyp_aws_sts_c/secret" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: HTTP 200 without AccessKeyId and SecretAccessKey"
    return 1
  fi
}

# _hyp_aws_sts_imds: the instance profile's credentials from IMDS, v2 (session token) first.
# Like the SDKs, falls back to v1 when the token request is refused or times out (a container
# one network hop further than the instance allows: HttpPutResponseHopLimit 1), unless
# AWS_EC2_METADATA_V1_DISABLED=true.
_hyp_aws_sts_imds() {
  if [ -n "${AWS_EC2_METADATA_SERVICE_ENDPOINT:-}" ]; then
    _hyp_aws_sts_imds_url=${AWS_EC2_METADATA_SERVICE_ENDPOINT%/}
  else
    case ${AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE:-} in
      [Ii][Pp][Vv]6) _hyp_aws_sts_imds_url='http://[fd00:ec2::254]' ;;
      *) _hyp_aws_sts_imds_url=http://169.254.169.254 ;;
    esac
  fi
  _hyp_aws_sts_what="instance metadata (IMDS) at $_hyp_aws_sts_imds_url"
  if [ "$_hyp_aws_sts_transport" != curl ]; then
    _hyp_aws_sts_skip "no credentials in the environment or a web identity, and the $_hyp_aws_sts_what needs curl (plain HTTP)"
  fi
  rm -f "$_hyp_aws_sts_d/req.body"
  printf 'X-aws-ec2-metadata-token-ttl-seconds: 21600\n' >"$_hyp_aws_sts_d/req.headers"
  _hyp_aws_sts_http PUT "$_hyp_aws_sts_imds_url/latest/api/token" imds
  _hyp_aws_sts_imds_version=IMDSv2
  if [ -n "$_hyp_aws_sts_http_fail" ]; then
    case $_hyp_aws_sts_http_fail in
      'DNS'* | 'TCP connect'*)
        # Not on EC2, or IMDS is firewalled off: the chain ends here, as in the SDK.
        _hyp_aws_sts_tried="$_hyp_aws_sts_tried; $_hyp_aws_sts_what: $_hyp_aws_sts_http_fail"
        _hyp_aws_sts_no_credentials
        return 1
        ;;
    esac
    _hyp_aws_sts_imds_token_problem="token request: $_hyp_aws_sts_http_fail"
  elif [ "$_hyp_aws_sts_http_code" = 200 ] && [ -s "$_hyp_aws_sts_d/resp.body" ]; then
    _hyp_aws_sts_imds_token_problem=
    LC_ALL=C awk 'NR == 1 { sub(/\r$/, ""); print "X-aws-ec2-metadata-token: " $0; exit }' "$_hyp_aws_sts_d/resp.body" >"$_hyp_aws_sts_d/req.headers"
  else
    _hyp_aws_sts_imds_token_problem="token request: HTTP $_hyp_aws_sts_http_code"
  fi
  if [ -n "$_hyp_aws_sts_imds_token_problem" ]; then
    case ${AWS_EC2_METADATA_V1_DISABLED:-} in
      [Tt][Rr][Uu][Ee])
        _hyp_aws_sts_note "hint: a token PUT that times out from a pod usually means the instance's HttpPutResponseHopLimit is 1; containers need 2"
        _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: $_hyp_aws_sts_imds_token_problem, and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED)"
        return 1
        ;;
    esac
    _hyp_aws_sts_imds_version=IMDSv1
    _hyp_aws_sts_note "warning: IMDSv2 $_hyp_aws_sts_imds_token_problem; fell back to IMDSv1 as the SDKs do (hop limit 1?)"
    : >"$_hyp_aws_sts_d/req.headers"
  fi

  _hyp_aws_sts_http GET "$_hyp_aws_sts_imds_url/latest/meta-data/iam/security-credentials/" imds
  if [ -n "$_hyp_aws_sts_http_fail" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: role name: $_hyp_aws_sts_http_fail" "$_hyp_aws_sts_d/resp.err"
    return 1
  fi
  case $_hyp_aws_sts_http_code in
    200) ;;
    404)
      _hyp_aws_sts_tried="$_hyp_aws_sts_tried; $_hyp_aws_sts_what answers, but the instance has no instance profile (404)"
      _hyp_aws_sts_no_credentials
      return 1
      ;;
    403)
      # IMDS answers 403 to everything when it is turned off for the instance (HttpEndpoint
      # disabled): the SDK ends the chain there, with no credentials.
      _hyp_aws_sts_tried="$_hyp_aws_sts_tried; $_hyp_aws_sts_what answers 403 ($_hyp_aws_sts_imds_version): instance metadata is turned off for this instance"
      _hyp_aws_sts_notes=''
      _hyp_aws_sts_no_credentials
      return 1
      ;;
    *)
      _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what ($_hyp_aws_sts_imds_version): role name: HTTP $_hyp_aws_sts_http_code"
      return 1
      ;;
  esac
  # The first line is the role name: letters, digits and +=,.@_- only (IAM's rule).
  LC_ALL=C awk 'NR == 1 { sub(/\r$/, ""); if ($0 ~ /^[A-Za-z0-9+=,.@_-]+$/) print; exit }' "$_hyp_aws_sts_d/resp.body" >"$_hyp_aws_sts_d/imds.role"
  # shellcheck disable=SC2162 # plain read, as above; checked to be a role name
  read _hyp_aws_sts_imds_role <"$_hyp_aws_sts_d/imds.role"
  if [ -z "$_hyp_aws_sts_imds_role" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: the security-credentials listing has no role name"
    return 1
  fi
  _hyp_aws_sts_http GET "$_hyp_aws_sts_imds_url/latest/meta-data/iam/security-credentials/$_hyp_aws_sts_imds_role" imds
  if [ -n "$_hyp_aws_sts_http_fail" ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: role $_hyp_aws_sts_imds_role: $_hyp_aws_sts_http_fail" "$_hyp_aws_sts_d/resp.err"
    return 1
  fi
  if [ "$_hyp_aws_sts_http_code" != 200 ]; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: role $_hyp_aws_sts_imds_role: HTTP $_hyp_aws_sts_http_code"
    return 1
  fi
  _hyp_aws_sts_json "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/j" Code Message
  if [ -s "$_hyp_aws_sts_d/j.Code" ] && ! LC_ALL=C awk '$0 != "Success" { exit 1 }' "$_hyp_aws_sts_d/j.Code"; then
    _hyp_aws_sts_fail "credentials endpoint: $_hyp_aws_sts_what: role $_hyp_aws_sts_imds_role: Code " "$_hyp_aws_sts_d/j.Code"
    return 1
  fi
  _hyp_aws_sts_json_credentials || return 1
  _hyp_aws_sts_source="$_hyp_aws_sts_imds_version instance profile $_hyp_aws_sts_imds_role"
  _hyp_aws_sts_n_cred="credentials: $_hyp_aws_sts_what, role $_hyp_aws_sts_imds_role"
}

# ---------------------------------------------------------------------------------------------
# GetCallerIdentity

_hyp_aws_sts_caller_identity() {
  printf 'Action=GetCallerIdentity&Version=2011-06-15' >"$_hyp_aws_sts_d/req.body"
  printf 'Content-Type: application/x-www-form-urlencoded; charset=utf-8\n' >"$_hyp_aws_sts_d/req.headers"
  if [ "$_hyp_aws_sts_signer" = openssl ]; then
    cp "$_hyp_aws_sts_c/akid" "$_hyp_aws_sts_c/secret" "$_hyp_aws_sts_d/" || return 1
    [ ! -s "$_hyp_aws_sts_c/token" ] || cp "$_hyp_aws_sts_c/token" "$_hyp_aws_sts_d/" || return 1
    cp "$_hyp_aws_sts_d/req.headers" "$_hyp_aws_sts_d/headers"
    cp "$_hyp_aws_sts_d/req.body" "$_hyp_aws_sts_d/body"
    _hyp_aws_sts_now
    _hyp_aws_sts_sign_start=$_hyp_aws_sts_ms
    if ! hyp_sigv4_sign "$_hyp_aws_sts_d" POST "$_hyp_aws_sts_url" "$_hyp_aws_sts_region" sts "$(date -u +%Y%m%dT%H%M%SZ)" 2>"$_hyp_aws_sts_d/sign.err"; then
      _hyp_aws_sts_fail "signing: lib/sigv4 failed: " "$_hyp_aws_sts_d/sign.err"
      return 1
    fi
    _hyp_aws_sts_now
    _hyp_aws_sts_note "signing took $((_hyp_aws_sts_ms - _hyp_aws_sts_sign_start)) ms"
    rm -f "$_hyp_aws_sts_d/secret" "$_hyp_aws_sts_d/token"
    mv "$_hyp_aws_sts_d/sigv4.headers" "$_hyp_aws_sts_d/req.headers"
    _hyp_aws_sts_http POST "$_hyp_aws_sts_url" plain
  else
    _hyp_aws_sts_http POST "$_hyp_aws_sts_url" sigv4
  fi
  _hyp_aws_sts_first="$_hyp_aws_sts_source, $_hyp_aws_sts_signer signer"
  if [ -n "$_hyp_aws_sts_http_fail" ]; then
    _hyp_aws_sts_fail "$_hyp_aws_sts_http_fail (GetCallerIdentity at $_hyp_aws_sts_url via $_hyp_aws_sts_first): " "$_hyp_aws_sts_d/resp.err"
    return 1
  fi
  _hyp_aws_sts_skew
  if [ "$_hyp_aws_sts_http_code" = 200 ]; then
    _hyp_aws_sts_xml "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/x" Arn Account UserId
    if [ ! -s "$_hyp_aws_sts_d/x.Arn" ] || [ ! -s "$_hyp_aws_sts_d/x.Account" ]; then
      # Not recorded as an HTTP status: an http_2xx branch means "AWS authenticated us".
      _hyp_aws_sts_fail "HTTP 200 without an Arn and Account: not an STS answer (a captive proxy?) from $_hyp_aws_sts_url: " "$_hyp_aws_sts_d/resp.body"
      return 1
    fi
    hyp_http_status 200
    printf 'AWS-STS ok: '
    _hyp_aws_sts_printable "$_hyp_aws_sts_d/x.Arn"
    printf ' (account '
    _hyp_aws_sts_printable "$_hyp_aws_sts_d/x.Account"
    printf ') via %s, in %s ms\n' "$_hyp_aws_sts_first" "$_hyp_aws_sts_http_ms"
    _hyp_aws_sts_now
    _hyp_aws_sts_note "total: $((_hyp_aws_sts_ms - _hyp_aws_sts_started)) ms, credentials included"
    _hyp_aws_sts_print_notes
    return 0
  fi
  hyp_http_status "$_hyp_aws_sts_http_code"
  _hyp_aws_sts_xml "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/x" Code Message
  _hyp_aws_sts_error_text
  _hyp_aws_sts_explain
  _hyp_aws_sts_fail "HTTP $_hyp_aws_sts_http_code $_hyp_aws_sts_error: $_hyp_aws_sts_skew_text" "$_hyp_aws_sts_d/x.Message"
}

# _hyp_aws_sts_error_text: sets _hyp_aws_sts_error to AWS's error code (a bare word), or a
# placeholder when the answer is not AWS's XML; the message stays in x.Message.
_hyp_aws_sts_error_text() {
  _hyp_aws_sts_error=
  if [ -s "$_hyp_aws_sts_d/x.Code" ]; then
    LC_ALL=C awk 'NR == 1 { if ($0 ~ /^[A-Za-z0-9_.:-]+$/) print; exit }' "$_hyp_aws_sts_d/x.Code" >"$_hyp_aws_sts_d/x.code"
    # shellcheck disable=SC2162 # plain read, as above; checked to be a bare word
    read _hyp_aws_sts_error <"$_hyp_aws_sts_d/x.code"
  fi
  if [ -z "$_hyp_aws_sts_error" ]; then
    _hyp_aws_sts_error='(no AWS error code)'
    [ -s "$_hyp_aws_sts_d/x.Message" ] || cp "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/x.Message" 2>/dev/null
  fi
}

# _hyp_aws_sts_explain: a hint for the errors on-call engineers meet, and clock skew named.
_hyp_aws_sts_explain() {
  _hyp_aws_sts_skew_text=
  if [ "$_hyp_aws_sts_error" = RequestTimeTooSkewed ] || [ "$_hyp_aws_sts_error" = RequestExpired ] ||
    LC_ALL=C awk '/Signature expired|Signature not yet current/ { found = 1 } END { exit !found }' "$_hyp_aws_sts_d/x.Message" 2>/dev/null; then
    # (No quotes inside ${...:-...}: shells disagree on them within double quotes.)
    [ -n "$_hyp_aws_sts_skew_words" ] || _hyp_aws_sts_skew_words="this pod's clock is more than 5 minutes off AWS's"
    _hyp_aws_sts_skew_text="clock skew: $_hyp_aws_sts_skew_words: "
    _hyp_aws_sts_note "hint: fix the node's time sync (chrony/NTP); SigV4 allows 5 minutes"
    return
  fi
  case $_hyp_aws_sts_error in
    ExpiredToken*) _hyp_aws_sts_note "hint: the session token has expired: temporary credentials from $_hyp_aws_sts_source were not refreshed" ;;
    InvalidClientTokenId*) _hyp_aws_sts_note "hint: AWS does not know this access key (deleted or deactivated, another partition, or a session token that does not belong to it)" ;;
    SignatureDoesNotMatch*) _hyp_aws_sts_note "hint: the secret key does not belong to this access key, or a proxy changed the request" ;;
    AccessDenied*) _hyp_aws_sts_note "hint: an SCP or permissions boundary denies sts:GetCallerIdentity, or a VPC endpoint policy blocks it" ;;
  esac
}

# _hyp_aws_sts_skew: compares the local clock with the response's Date header. Sets
# _hyp_aws_sts_skew_words ("this pod's clock is N s behind AWS's") and, past a minute, adds a
# warning note even on success: at 5 minutes every signed request fails.
_hyp_aws_sts_skew() {
  _hyp_aws_sts_skew_words=
  [ -s "$_hyp_aws_sts_d/resp.headers" ] || return 0
  LC_ALL=C awk -v now="$(date -u +%s)" "$hyp_time_awk"'
    tolower($1) == "date:" && $3 ~ /^[0-9]+$/ && hyp_month($4) && $6 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/ {
      split($6, t, ":")
      server = hyp_epoch($5, hyp_month($4), $3, t[1], t[2], t[3])
    }
    END {
      if (server == "" || now !~ /^[0-9]+$/) exit
      d = now - server
      if (d < 0) { printf "this pod'\''s clock is %d s behind AWS'\''s\n", -d }
      else printf "this pod'\''s clock is %d s ahead of AWS'\''s\n", d
      print (d > 60 || d < -60) ? "warn" : "fine"
    }' "$_hyp_aws_sts_d/resp.headers" >"$_hyp_aws_sts_d/skew"
  {
    # shellcheck disable=SC2162 # plain read, as above; our own text
    read _hyp_aws_sts_skew_words
    # shellcheck disable=SC2162
    read _hyp_aws_sts_skew_level
  } <"$_hyp_aws_sts_d/skew"
  if [ "${_hyp_aws_sts_skew_level:-}" = warn ] && [ "$_hyp_aws_sts_http_code" = 200 ]; then
    _hyp_aws_sts_note "warning: $_hyp_aws_sts_skew_words (Date header); at 5 minutes every signed request fails"
  fi
}

# ---------------------------------------------------------------------------------------------
# Parsing: answers stay in files; values go to files, one per field.

# _hyp_aws_sts_xml FILE PREFIX TAG...: writes the text of each TAG's first element in FILE to
# PREFIX.TAG (or PREFIX/TAG when PREFIX is a folder), entities decoded.
_hyp_aws_sts_xml() {
  _hyp_aws_sts_xml_file=$1 _hyp_aws_sts_xml_to=$2
  shift 2
  [ -d "$_hyp_aws_sts_xml_to" ] && _hyp_aws_sts_xml_to="$_hyp_aws_sts_xml_to/" || _hyp_aws_sts_xml_to="$_hyp_aws_sts_xml_to."
  for _hyp_aws_sts_xml_tag in "$@"; do rm -f "$_hyp_aws_sts_xml_to$_hyp_aws_sts_xml_tag"; done
  [ -s "$_hyp_aws_sts_xml_file" ] || return 0
  LC_ALL=C awk -v to="$_hyp_aws_sts_xml_to" -v tags="$*" '
    { doc = doc $0 "\n" }
    END {
      n = split(tags, tag, " ")
      for (i = 1; i <= n; i++) {
        if (!match(doc, "<" tag[i] ">[^<]*</" tag[i] ">")) continue
        v = substr(doc, RSTART + length(tag[i]) + 2, RLENGTH - 2 * length(tag[i]) - 5)
        gsub(/&lt;/, "<", v); gsub(/&gt;/, ">", v); gsub(/&quot;/, "\"", v); gsub(/&apos;/, "'\''", v)
        gsub(/&#10;/, " ", v); gsub(/&amp;/, "\\&", v)
        sub(/^[ \t\r\n]+/, "", v); sub(/[ \t\r\n]+$/, "", v)
        gsub(/[\r\n]+/, " ", v)
        print v >(to tag[i])
        close(to tag[i])
      }
    }' "$_hyp_aws_sts_xml_file"
}

# _hyp_aws_sts_json FILE PREFIX KEY...: the same for the string value of each top-level KEY in
# a JSON object (escapes decoded; \u beyond ASCII becomes "?").
_hyp_aws_sts_json() {
  _hyp_aws_sts_json_file=$1 _hyp_aws_sts_json_to=$2
  shift 2
  [ -d "$_hyp_aws_sts_json_to" ] && _hyp_aws_sts_json_to="$_hyp_aws_sts_json_to/" || _hyp_aws_sts_json_to="$_hyp_aws_sts_json_to."
  for _hyp_aws_sts_json_key in "$@"; do rm -f "$_hyp_aws_sts_json_to$_hyp_aws_sts_json_key"; done
  [ -s "$_hyp_aws_sts_json_file" ] || return 0
  LC_ALL=C awk -v to="$_hyp_aws_sts_json_to" -v keys="$*" '
    BEGIN { for (i = 0; i < 16; i++) { HEX[substr("0123456789abcdef", i + 1, 1)] = i; HEX[substr("0123456789ABCDEF", i + 1, 1)] = i } }
    { doc = doc $0 "\n" }
    END {
      n = split(keys, key, " ")
      for (i = 1; i <= n; i++) {
        if (!match(doc, "\"" key[i] "\"[ \t\r\n]*:[ \t\r\n]*\"")) continue
        p = RSTART + RLENGTH
        v = ""
        while (p <= length(doc)) {
          c = substr(doc, p, 1)
          if (c == "\"") break
          if (c == "\\") {
            e = substr(doc, p + 1, 1); p += 2
            if (e == "n") v = v "\n"; else if (e == "t") v = v "\t"; else if (e == "r") v = v "\r"
            else if (e == "b" || e == "f") v = v " "
            else if (e == "u") {
              code = 0
              for (j = 0; j < 4; j++) code = code * 16 + HEX[substr(doc, p + j, 1)]
              p += 4
              v = v (code >= 32 && code < 127 ? sprintf("%c", code) : "?")
            } else v = v e
            continue
          }
          v = v c; p++
        }
        print v >(to key[i])
        close(to key[i])
      }
    }' "$_hyp_aws_sts_json_file"
}

# ---------------------------------------------------------------------------------------------
# HTTP

# _hyp_aws_sts_http METHOD URL MODE: sends $_hyp_aws_sts_d/req.headers ("Name: value" lines)
# and, when it exists, req.body. MODE: plain; sigv4 (curl signs with the credential files);
# local (a link-local/loopback credentials endpoint: never through a proxy); imds (local, with
# the SDK's 1 s connect limit). Sets
#   _hyp_aws_sts_http_fail  empty when an HTTP answer came back, else the failed stage, e.g.
#                           "TCP connect: ..." (the tool's own words are in resp.err)
#   _hyp_aws_sts_http_code  the HTTP status
#   _hyp_aws_sts_http_ms    the request's duration
# and leaves the answer in resp.headers and resp.body.
_hyp_aws_sts_http() {
  rm -f "$_hyp_aws_sts_d/resp.headers" "$_hyp_aws_sts_d/resp.body" "$_hyp_aws_sts_d/resp.err"
  _hyp_aws_sts_http_fail='' _hyp_aws_sts_http_code='' _hyp_aws_sts_http_ms=''
  if [ "$_hyp_aws_sts_transport" = curl ]; then
    _hyp_aws_sts_curl "$@"
  else
    _hyp_aws_sts_sclient "$@"
  fi
}

# _hyp_aws_sts_curl METHOD URL MODE: _hyp_aws_sts_http with curl. Headers and, for sigv4, the
# key pair go into a 0600 config file read with -K: curl's argv holds no secret.
_hyp_aws_sts_curl() {
  _hyp_aws_sts_cfg="$_hyp_aws_sts_d/curl.cfg"
  _hyp_aws_sts_method=$1 _hyp_aws_sts_target_url=$2 _hyp_aws_sts_mode=$3
  # One awk writes the whole config. Files are named on its command line, their contents never:
  # `kind=...` operands tell it which file it is reading. Paths come through the environment.
  set -- kind=header "$_hyp_aws_sts_d/req.headers"
  if [ "$_hyp_aws_sts_mode" = sigv4 ]; then
    set -- "$@" kind=akid "$_hyp_aws_sts_c/akid" kind=secret "$_hyp_aws_sts_c/secret"
    [ ! -s "$_hyp_aws_sts_c/token" ] || set -- "$@" kind=token "$_hyp_aws_sts_c/token"
  fi
  _HYP_AWS_STS_SIGV4='' _HYP_AWS_STS_BODY='' _HYP_AWS_STS_NOPROXY=''
  [ "$_hyp_aws_sts_mode" != sigv4 ] || _HYP_AWS_STS_SIGV4="aws:amz:$_hyp_aws_sts_region:sts"
  [ ! -f "$_hyp_aws_sts_d/req.body" ] || _HYP_AWS_STS_BODY="@$_hyp_aws_sts_d/req.body"
  # Credentials endpoints are on this host or link-local: a proxy cannot reach them.
  [ "$_hyp_aws_sts_mode" != local ] && [ "$_hyp_aws_sts_mode" != imds ] || _HYP_AWS_STS_NOPROXY='*'
  _HYP_AWS_STS_SIGV4=$_HYP_AWS_STS_SIGV4 _HYP_AWS_STS_BODY=$_HYP_AWS_STS_BODY _HYP_AWS_STS_NOPROXY=$_HYP_AWS_STS_NOPROXY \
    LC_ALL=C awk '
    # curl config syntax: name = "value", with \ and \" escaped inside the quotes.
    function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    function opt(name, value) { if (value != "") print name " = " q(value) }
    { sub(/\r$/, "") }
    kind == "header" && $0 != "" { print "header = " q($0) }
    kind == "akid" && FNR == 1 { akid = $0 }
    kind == "secret" && FNR == 1 { print "user = " q(akid ":" $0) }
    kind == "token" && FNR == 1 && $0 != "" { print "header = " q("x-amz-security-token: " $0) }
    END {
      opt("aws-sigv4", ENVIRON["_HYP_AWS_STS_SIGV4"])
      opt("data-binary", ENVIRON["_HYP_AWS_STS_BODY"])
      opt("noproxy", ENVIRON["_HYP_AWS_STS_NOPROXY"])
      opt("cacert", ENVIRON["AWS_CA_BUNDLE"])
    }' "$@" >"$_hyp_aws_sts_cfg" || return 1
  set -- "$_hyp_aws_sts_method" "$_hyp_aws_sts_target_url" "$_hyp_aws_sts_mode"
  _hyp_aws_sts_connect=$_hyp_aws_sts_timeout
  [ "$3" != imds ] || _hyp_aws_sts_connect=1
  curl -K "$_hyp_aws_sts_cfg" -sS -X "$1" -o "$_hyp_aws_sts_d/resp.body" -D "$_hyp_aws_sts_d/resp.headers" \
    -w '%{http_code} %{time_namelookup} %{time_connect} %{time_appconnect} %{time_total}\n' \
    --connect-timeout "$_hyp_aws_sts_connect" --max-time "$_hyp_aws_sts_timeout" \
    "$2" >"$_hyp_aws_sts_d/resp.meta" 2>"$_hyp_aws_sts_d/resp.err"
  _hyp_aws_sts_rc=$?
  rm -f "$_hyp_aws_sts_cfg"
  # shellcheck disable=SC2162 # plain read, as above; numbers
  read _hyp_aws_sts_http_code _hyp_aws_sts_t_dns _hyp_aws_sts_t_tcp _hyp_aws_sts_t_tls _hyp_aws_sts_t_total <"$_hyp_aws_sts_d/resp.meta"
  _hyp_aws_sts_http_ms=$(LC_ALL=C awk -v t="${_hyp_aws_sts_t_total:-0}" 'BEGIN { printf "%d", t * 1000 + 0.5 }')
  _hyp_aws_sts_host_of "$2"
  case $_hyp_aws_sts_rc in
    0)
      case $_hyp_aws_sts_http_code in
        [1-5][0-9][0-9]) ;;
        *) _hyp_aws_sts_http_fail="HTTP: no status from $_hyp_aws_sts_hostport" ;;
      esac
      ;;
    5) _hyp_aws_sts_http_fail="DNS: could not resolve the proxy ${_hyp_aws_sts_proxy:-} (${_hyp_aws_sts_proxy_var:-})" ;;
    6) _hyp_aws_sts_http_fail="DNS: could not resolve $_hyp_aws_sts_host" ;;
    7)
      _hyp_aws_sts_http_fail="TCP connect: could not connect to $_hyp_aws_sts_hostport"
      # Through a proxy, curl names the host it failed to reach: say when that was the proxy.
      if [ "$3" != local ] && [ "$3" != imds ] && [ -n "$_hyp_aws_sts_proxy" ] &&
        LC_ALL=C awk -v proxy="$_hyp_aws_sts_proxy" '
          { p = proxy; port = p; sub(/:[0-9]+$/, "", p); sub(/^.*:/, "", port); if (port == proxy) port = "" }
          index($0, "to " p " port " port) { f = 1 } END { exit !f }' "$_hyp_aws_sts_d/resp.err"; then
        _hyp_aws_sts_http_fail="TCP connect: could not connect to the proxy $_hyp_aws_sts_proxy ($_hyp_aws_sts_proxy_var)"
      fi
      ;;
    28)
      # Which stage ran out of time: curl leaves a stage's timer at 0 until it completes.
      if _hyp_aws_sts_zero "$_hyp_aws_sts_t_dns"; then
        _hyp_aws_sts_http_fail="DNS: resolving $_hyp_aws_sts_host timed out (${_hyp_aws_sts_timeout}s)"
      elif _hyp_aws_sts_zero "$_hyp_aws_sts_t_tcp"; then
        _hyp_aws_sts_http_fail="TCP connect: $_hyp_aws_sts_hostport did not answer within ${_hyp_aws_sts_connect}s"
      elif [ "${2%%://*}" = https ] && _hyp_aws_sts_zero "$_hyp_aws_sts_t_tls"; then
        _hyp_aws_sts_http_fail="TLS: the handshake with $_hyp_aws_sts_hostport timed out (${_hyp_aws_sts_timeout}s)"
      else
        _hyp_aws_sts_http_fail="HTTP: no answer from $_hyp_aws_sts_hostport within ${_hyp_aws_sts_timeout}s"
      fi
      ;;
    35 | 51 | 53 | 54 | 58 | 59 | 60 | 64 | 66 | 77 | 80 | 82 | 83 | 90 | 91 | 98)
      _hyp_aws_sts_http_fail="TLS: handshake with $_hyp_aws_sts_hostport failed"
      ;;
    52 | 56)
      if LC_ALL=C awk '/CONNECT tunnel failed|[Pp]roxy CONNECT aborted/ { f = 1 } END { exit !f }' "$_hyp_aws_sts_d/resp.err"; then
        _hyp_aws_sts_http_fail="HTTP: the proxy $_hyp_aws_sts_proxy ($_hyp_aws_sts_proxy_var) refused a tunnel to $_hyp_aws_sts_hostport"
      else
        _hyp_aws_sts_http_fail="HTTP: $_hyp_aws_sts_hostport closed the connection without an answer"
      fi
      ;;
    *) _hyp_aws_sts_http_fail="HTTP: curl failed (exit $_hyp_aws_sts_rc)" ;;
  esac
  return 0
}

# _hyp_aws_sts_zero SECONDS: true when a curl timer is 0 (0, 0.0, 0.000000).
_hyp_aws_sts_zero() {
  case $1 in '' | *[!0.]*) return 1 ;; *) return 0 ;; esac
}

# _hyp_aws_sts_host_of URL: sets _hyp_aws_sts_scheme, _hyp_aws_sts_hostport (host[:port]),
# _hyp_aws_sts_host, _hyp_aws_sts_port and _hyp_aws_sts_target (path and query, at least /).
_hyp_aws_sts_host_of() {
  _hyp_aws_sts_scheme=${1%%://*}
  _hyp_aws_sts_hostport=${1#*://}
  _hyp_aws_sts_target=${_hyp_aws_sts_hostport#"${_hyp_aws_sts_hostport%%[/?]*}"}
  _hyp_aws_sts_hostport=${_hyp_aws_sts_hostport%%[/?]*}
  _hyp_aws_sts_hostport=${_hyp_aws_sts_hostport##*@}
  _hyp_aws_sts_target=${_hyp_aws_sts_target%%#*}
  case $_hyp_aws_sts_target in '' | '?'*) _hyp_aws_sts_target="/$_hyp_aws_sts_target" ;; esac
  case $_hyp_aws_sts_hostport in
    \[*\]:*) _hyp_aws_sts_host=${_hyp_aws_sts_hostport%:*} _hyp_aws_sts_port=${_hyp_aws_sts_hostport##*:} ;;
    \[*) _hyp_aws_sts_host=$_hyp_aws_sts_hostport _hyp_aws_sts_port= ;;
    *:*) _hyp_aws_sts_host=${_hyp_aws_sts_hostport%:*} _hyp_aws_sts_port=${_hyp_aws_sts_hostport##*:} ;;
    *) _hyp_aws_sts_host=$_hyp_aws_sts_hostport _hyp_aws_sts_port= ;;
  esac
  if [ -z "$_hyp_aws_sts_port" ]; then
    if [ "$_hyp_aws_sts_scheme" = https ]; then _hyp_aws_sts_port=443; else _hyp_aws_sts_port=80; fi
  fi
}

# _hyp_aws_sts_sclient METHOD URL MODE: _hyp_aws_sts_http over `openssl s_client`, for images
# without curl. HTTPS only. The request is written to a file (headers may hold secrets) and fed
# on stdin; s_client runs in the background under a deadline we enforce, then is reaped.
_hyp_aws_sts_sclient() {
  _hyp_aws_sts_host_of "$2"
  if [ "$_hyp_aws_sts_scheme" != https ]; then
    _hyp_aws_sts_skip "no HTTP client for $2: curl is missing and openssl s_client speaks only TLS"
  fi
  _hyp_aws_sts_bare=${_hyp_aws_sts_host#\[}
  _hyp_aws_sts_bare=${_hyp_aws_sts_bare%\]}
  _hyp_aws_sts_len=0
  [ ! -f "$_hyp_aws_sts_d/req.body" ] || _hyp_aws_sts_len=$(($(wc -c <"$_hyp_aws_sts_d/req.body")))
  {
    printf '%s %s HTTP/1.1\r\n' "$1" "$_hyp_aws_sts_target"
    # Our Host unless the signer wrote one (it must be the one it signed).
    LC_ALL=C awk -v host="$_hyp_aws_sts_hostport" '
      { sub(/\r$/, "") } $0 == "" { next }
      tolower(substr($0, 1, 5)) == "host:" { seen = 1 }
      { lines[++n] = $0 }
      END {
        if (!seen) { sub(/:443$/, "", host); printf "Host: %s\r\n", host }
        for (i = 1; i <= n; i++) printf "%s\r\n", lines[i]
      }' "$_hyp_aws_sts_d/req.headers" || return 1
    printf 'Content-Length: %s\r\nConnection: close\r\nUser-Agent: hypothecary-aws-sts\r\n\r\n' "$_hyp_aws_sts_len"
    [ ! -f "$_hyp_aws_sts_d/req.body" ] || cat "$_hyp_aws_sts_d/req.body"
  } >"$_hyp_aws_sts_d/req.raw" || return 1
  # Verify the peer: s_client only reports a bad certificate unless told to fail on it.
  case $_hyp_aws_sts_bare in
    *:* | *[0-9]) case $_hyp_aws_sts_bare in *[!0-9.:a-fA-F]*) _hyp_aws_sts_ip= ;; *) _hyp_aws_sts_ip=1 ;; esac ;;
    *) _hyp_aws_sts_ip= ;;
  esac
  if [ -n "$_hyp_aws_sts_ip" ]; then
    set -- -verify_ip "$_hyp_aws_sts_bare" -noservername
  else
    set -- -verify_hostname "$_hyp_aws_sts_bare" -servername "$_hyp_aws_sts_bare"
  fi
  [ -z "${AWS_CA_BUNDLE:-}" ] || set -- "$@" -CAfile "$AWS_CA_BUNDLE"
  _hyp_aws_sts_now
  _hyp_aws_sts_t0=$_hyp_aws_sts_ms
  _hyp_aws_sts_deadline=$(LC_ALL=C awk -v t="$_hyp_aws_sts_timeout" -v now="$_hyp_aws_sts_ms" 'BEGIN { printf "%d", now + t * 1000 }')
  # (exec ...) &: yash runs `cmd <file &` as a subshell that forks cmd, so $! would be the
  # subshell and killing it would orphan openssl; with exec, $! is openssl in every shell.
  (exec openssl s_client -quiet -verify_return_error -connect "$_hyp_aws_sts_host:$_hyp_aws_sts_port" "$@" \
    <"$_hyp_aws_sts_d/req.raw" >"$_hyp_aws_sts_d/resp.raw" 2>"$_hyp_aws_sts_d/resp.err") &
  _hyp_aws_sts_pid=$!
  _hyp_aws_sts_late=
  while kill -0 "$_hyp_aws_sts_pid" 2>/dev/null; do
    _hyp_aws_sts_now
    if [ "$_hyp_aws_sts_ms" -ge "$_hyp_aws_sts_deadline" ]; then
      kill "$_hyp_aws_sts_pid" 2>/dev/null
      _hyp_aws_sts_late=1
      break
    fi
    sleep 0.05 2>/dev/null || sleep 1
  done
  # 2>/dev/null: a subshell's dash, bash and busybox print "Terminated" for a job we killed.
  wait "$_hyp_aws_sts_pid" 2>/dev/null
  _hyp_aws_sts_rc=$?
  _hyp_aws_sts_now
  _hyp_aws_sts_http_ms=$((_hyp_aws_sts_ms - _hyp_aws_sts_t0))
  # The answer: status line, headers (to resp.headers), body (to resp.body, de-chunked).
  LC_ALL=C awk -v headers="$_hyp_aws_sts_d/resp.headers" -v body="$_hyp_aws_sts_d/resp.body" '
    NR == 1 { if ($0 !~ /^HTTP\/[0-9.]+ [0-9][0-9][0-9]/) exit; code = $2; print > headers; next }
    !inbody {
      line = $0; sub(/\r$/, "", line)
      if (line == "") { inbody = 1; next }
      print line > headers
      if (tolower(line) ~ /^transfer-encoding:.*chunked/) chunked = 1
      next
    }
    { rest = rest $0 "\n" }
    END {
      if (code == "") exit
      printf "%s\n", code > (headers ".code")
      if (!chunked) { printf "%s", rest > body; exit }
      out = ""
      while (1) {
        eol = index(rest, "\r\n"); if (!eol) break
        size = 0; hex = substr(rest, 1, eol - 1); sub(/;.*/, "", hex)
        for (i = 1; i <= length(hex); i++) size = size * 16 + index("0123456789abcdef", tolower(substr(hex, i, 1))) - 1
        if (size <= 0) break
        out = out substr(rest, eol + 2, size)
        rest = substr(rest, eol + 2 + size + 2)
      }
      printf "%s", out > body
    }' "$_hyp_aws_sts_d/resp.raw"
  rm -f "$_hyp_aws_sts_d/req.raw"
  if [ -s "$_hyp_aws_sts_d/resp.headers.code" ]; then
    # shellcheck disable=SC2162 # plain read, as above; three digits
    read _hyp_aws_sts_http_code <"$_hyp_aws_sts_d/resp.headers.code"
    return 0
  fi
  if [ -n "$_hyp_aws_sts_late" ]; then
    _hyp_aws_sts_http_fail="TCP connect or TLS: no answer from $_hyp_aws_sts_hostport within ${_hyp_aws_sts_timeout}s"
  elif LC_ALL=C awk '/BIO_lookup|getaddrinfo|[Nn]ame or service not known|[Nn]odename nor servname|[Tt]emporary failure in name resolution|gethostbyname/ { f = 1 } END { exit !f }' "$_hyp_aws_sts_d/resp.err"; then
    _hyp_aws_sts_http_fail="DNS: could not resolve $_hyp_aws_sts_host"
  elif LC_ALL=C awk '/connect:errno|[Cc]onnection refused|[Nn]o route to host|[Nn]etwork is unreachable|BIO_connect/ { f = 1 } END { exit !f }' "$_hyp_aws_sts_d/resp.err"; then
    _hyp_aws_sts_http_fail="TCP connect: could not connect to $_hyp_aws_sts_hostport"
  elif [ -s "$_hyp_aws_sts_d/resp.err" ]; then
    _hyp_aws_sts_http_fail="TLS: handshake with $_hyp_aws_sts_hostport failed"
    # The telling line is openssl's verify error or its alert, not the first line.
    LC_ALL=C awk '/verify error|alert|SSL routines|certificate/ { print; exit }' "$_hyp_aws_sts_d/resp.err" >"$_hyp_aws_sts_d/resp.err2"
    [ ! -s "$_hyp_aws_sts_d/resp.err2" ] || mv "$_hyp_aws_sts_d/resp.err2" "$_hyp_aws_sts_d/resp.err"
  else
    _hyp_aws_sts_http_fail="HTTP: $_hyp_aws_sts_hostport closed the connection without an answer (openssl exit $_hyp_aws_sts_rc)"
  fi
  return 0
}
