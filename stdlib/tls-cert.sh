# hypothecary prebuilt: TLS-CERT
# summary: Checks a TLS certificate, served on host:port or in a PEM file: days to expiry, the host name it is for, and its chain.
# reports: the days left (or since it expired) against the limit, whether it is for the server name, whether the chain verifies; for a server, the connect or handshake stage that failed.
# function: hyp_prebuilt_tls_cert
# requires: plugin-api lib/net lib/tls
# param host: string = "" -- the server to connect to (name or address); give host or file
# param port: port = 443 -- the server's TLS port
# param file: string = "" -- a PEM file to check instead of a server (the first certificate is the leaf, the others its chain)
# param servername: string = "" -- the name the certificate must be for (sent as SNI); empty: host, or no name check for a file
# param min_days: integer = 14 -- fails when the certificate expires in fewer days than this
# param ca_file: string = "" -- a PEM file of trusted CA certificates; empty: the system's store
# param verify: boolean = true -- verify the chain (false: only dates and name)
# param timeout: duration = 5s -- gives up on the connection and handshake after this long
#
# Needs the openssl command (skipped without it). Exits 0 when the certificate is valid for at
# least min_days more days, is for the server name and its chain verifies; 1 otherwise; 2 on a
# parameter it cannot use.

# hyp_prebuilt_tls_cert: checks hyp_arg_host:hyp_arg_port or hyp_arg_file (see the header).
# Prints one line, then the details of the certificate, for example
#   TLS-CERT 127.0.0.1:8443: expires in 3 days (2026-11-28, limit 14)
#   TLS-CERT 127.0.0.1:8443: hostname mismatch: certificate is for DNS:a.example, not b.example
# shellcheck disable=SC2154 # the hyp_net_* and hyp_tls_* results are set by lib/net and lib/tls
hyp_prebuilt_tls_cert() {
  _hyp_prebuilt_tls_cert_host=${hyp_arg_host-}
  _hyp_prebuilt_tls_cert_port=${hyp_arg_port:-443}
  _hyp_prebuilt_tls_cert_file=${hyp_arg_file-}
  _hyp_prebuilt_tls_cert_name=${hyp_arg_servername-}
  _hyp_prebuilt_tls_cert_min=${hyp_arg_min_days:-14}
  _hyp_prebuilt_tls_cert_ca=${hyp_arg_ca_file-}
  _hyp_prebuilt_tls_cert_verify=${hyp_arg_verify-1}
  _hyp_prebuilt_tls_cert_timeout=${hyp_arg_timeout:-5}
  [ -n "$_hyp_prebuilt_tls_cert_file" ] || [ -n "$_hyp_prebuilt_tls_cert_name" ] ||
    _hyp_prebuilt_tls_cert_name=$_hyp_prebuilt_tls_cert_host
  if [ -n "$_hyp_prebuilt_tls_cert_file" ]; then
    _hyp_prebuilt_tls_cert_shown=$_hyp_prebuilt_tls_cert_file
  else
    case $_hyp_prebuilt_tls_cert_host in
      *:*) _hyp_prebuilt_tls_cert_shown=[$_hyp_prebuilt_tls_cert_host]:$_hyp_prebuilt_tls_cert_port ;;
      *) _hyp_prebuilt_tls_cert_shown=$_hyp_prebuilt_tls_cert_host:$_hyp_prebuilt_tls_cert_port ;;
    esac
  fi
  # The compiler validates the parameters; these checks are for a runner edited by hand and for
  # what a schema cannot say (host or file).
  if [ -n "$_hyp_prebuilt_tls_cert_host" ] && [ -n "$_hyp_prebuilt_tls_cert_file" ]; then
    printf 'TLS-CERT: give host or file, not both\n'
    return 2
  fi
  if [ -z "$_hyp_prebuilt_tls_cert_host" ] && [ -z "$_hyp_prebuilt_tls_cert_file" ]; then
    printf 'TLS-CERT: nothing to check: give host (and port) or file\n'
    return 2
  fi
  case $_hyp_prebuilt_tls_cert_host in
    -*)
      printf 'TLS-CERT %s: not a host name or address\n' "$_hyp_prebuilt_tls_cert_shown"
      return 2
      ;;
  esac
  case $_hyp_prebuilt_tls_cert_port in
    '' | *[!0-9]* | 0*) _hyp_prebuilt_tls_cert_port=0 ;;
  esac
  if [ "$_hyp_prebuilt_tls_cert_port" -lt 1 ] || [ "$_hyp_prebuilt_tls_cert_port" -gt 65535 ]; then
    printf 'TLS-CERT %s: the port must be a number from 1 to 65535\n' "$_hyp_prebuilt_tls_cert_shown"
    return 2
  fi
  case $_hyp_prebuilt_tls_cert_min in
    '' | *[!0-9]*)
      printf 'TLS-CERT %s: min_days "%s" is not a whole number of days\n' "$_hyp_prebuilt_tls_cert_shown" "$_hyp_prebuilt_tls_cert_min"
      return 2
      ;;
  esac
  # No leading zeros: the shell would read them as octal.
  while :; do
    case $_hyp_prebuilt_tls_cert_min in
      0?*) _hyp_prebuilt_tls_cert_min=${_hyp_prebuilt_tls_cert_min#0} ;;
      *) break ;;
    esac
  done
  if ! hyp_net_ceil_secs "$_hyp_prebuilt_tls_cert_timeout"; then
    printf 'TLS-CERT %s: timeout "%s" is not a number of seconds\n' "$_hyp_prebuilt_tls_cert_shown" "$_hyp_prebuilt_tls_cert_timeout"
    return 2
  fi
  case $_hyp_prebuilt_tls_cert_verify in
    0 | false | no) _hyp_prebuilt_tls_cert_verify= ;;
  esac
  if [ -n "$_hyp_prebuilt_tls_cert_verify" ] && [ -n "$_hyp_prebuilt_tls_cert_ca" ] && [ ! -r "$_hyp_prebuilt_tls_cert_ca" ]; then
    printf 'TLS-CERT %s: ca_file %s cannot be read\n' "$_hyp_prebuilt_tls_cert_shown" "$_hyp_prebuilt_tls_cert_ca"
    return 2
  fi

  hyp_have openssl || hyp_skip "no openssl here: TLS-CERT reads certificates with the openssl command"

  # The certificate: from the file, or from the server's handshake.
  if [ -n "$_hyp_prebuilt_tls_cert_file" ]; then
    if [ ! -r "$_hyp_prebuilt_tls_cert_file" ]; then
      printf 'TLS-CERT %s: the file cannot be read\n' "$_hyp_prebuilt_tls_cert_shown"
      return 1
    fi
    hyp_tls_split "$_hyp_prebuilt_tls_cert_file"
    if [ "$hyp_tls_certs" -eq 0 ]; then
      printf 'TLS-CERT %s: no PEM certificate in the file\n' "$_hyp_prebuilt_tls_cert_shown"
      return 1
    fi
  else
    hyp_tls_fetch "$_hyp_prebuilt_tls_cert_host" "$_hyp_prebuilt_tls_cert_port" "$_hyp_prebuilt_tls_cert_name" \
      "$_hyp_prebuilt_tls_cert_timeout"
    if [ "$hyp_tls_stage" != ok ]; then
      printf 'TLS-CERT %s: ' "$_hyp_prebuilt_tls_cert_shown"
      hyp_tls_say
      printf '\n'
      return 1
    fi
  fi
  hyp_tls_now
  if ! hyp_tls_inspect "$HYP_PLUGIN_DIR/tls-leaf.pem" "$hyp_tls_now"; then
    printf 'TLS-CERT %s: openssl cannot read the certificate\n' "$_hyp_prebuilt_tls_cert_shown"
    return 1
  fi

  # Each check, then the worst finding first: dates, chain, name, then "expires soon".
  _hyp_prebuilt_tls_cert_name_ok=1
  if [ -n "$_hyp_prebuilt_tls_cert_name" ] && ! hyp_tls_check_name "$HYP_PLUGIN_DIR/tls-leaf.pem" "$_hyp_prebuilt_tls_cert_name"; then
    _hyp_prebuilt_tls_cert_name_ok=
  fi
  _hyp_prebuilt_tls_cert_chain_ok=1
  if [ -n "$_hyp_prebuilt_tls_cert_verify" ] && ! hyp_tls_verify "$HYP_PLUGIN_DIR/tls-leaf.pem" \
    "$HYP_PLUGIN_DIR/tls-chain.pem" "$_hyp_prebuilt_tls_cert_ca"; then
    _hyp_prebuilt_tls_cert_chain_ok=
  fi
  # Whole days, rounded down: 47 hours left is "1 day".
  _hyp_prebuilt_tls_cert_days=$((hyp_tls_left / 86400))
  _hyp_prebuilt_tls_cert_ago=$(((-hyp_tls_left) / 86400))
  _hyp_prebuilt_tls_cert_rc=1
  printf 'TLS-CERT %s: ' "$_hyp_prebuilt_tls_cert_shown"
  if [ "$hyp_tls_left" -le 0 ]; then
    case $_hyp_prebuilt_tls_cert_ago in
      0) printf 'certificate expired less than a day ago (%s)\n' "$hyp_tls_until" ;;
      1) printf 'certificate expired 1 day ago (%s)\n' "$hyp_tls_until" ;;
      *) printf 'certificate expired %s days ago (%s)\n' "$_hyp_prebuilt_tls_cert_ago" "$hyp_tls_until" ;;
    esac
  elif [ "$hyp_tls_early" -gt 0 ]; then
    printf 'certificate not valid yet: valid from '
    hyp_tls_info from
    printf '\n'
  elif [ -z "$_hyp_prebuilt_tls_cert_chain_ok" ]; then
    printf 'chain does not verify: '
    hyp_tls_verify_say
    printf '\n'
  elif [ -z "$_hyp_prebuilt_tls_cert_name_ok" ]; then
    printf 'hostname mismatch: certificate is for '
    hyp_tls_names_say
    printf ', not %s\n' "$_hyp_prebuilt_tls_cert_name"
  elif [ "$_hyp_prebuilt_tls_cert_days" -lt "$_hyp_prebuilt_tls_cert_min" ]; then
    case $_hyp_prebuilt_tls_cert_days in
      0) printf 'expires in less than a day (%s, limit %s)\n' "$hyp_tls_until" "$_hyp_prebuilt_tls_cert_min" ;;
      1) printf 'expires in 1 day (%s, limit %s)\n' "$hyp_tls_until" "$_hyp_prebuilt_tls_cert_min" ;;
      *) printf 'expires in %s days (%s, limit %s)\n' "$_hyp_prebuilt_tls_cert_days" "$hyp_tls_until" "$_hyp_prebuilt_tls_cert_min" ;;
    esac
  else
    printf 'valid for %s more days (until %s, limit %s)' "$_hyp_prebuilt_tls_cert_days" "$hyp_tls_until" "$_hyp_prebuilt_tls_cert_min"
    [ -n "$_hyp_prebuilt_tls_cert_verify" ] && printf ', chain verified'
    [ -n "$_hyp_prebuilt_tls_cert_name" ] && printf ', for %s' "$_hyp_prebuilt_tls_cert_name"
    printf '\n'
    _hyp_prebuilt_tls_cert_rc=0
  fi

  # The details: every check's answer, and who the certificate is for.
  if [ -n "$_hyp_prebuilt_tls_cert_name" ]; then
    if [ -n "$_hyp_prebuilt_tls_cert_name_ok" ]; then
      printf 'name: %s matches\n' "$_hyp_prebuilt_tls_cert_name"
    else
      printf 'name: %s does not match\n' "$_hyp_prebuilt_tls_cert_name"
    fi
  fi
  if [ -z "$_hyp_prebuilt_tls_cert_verify" ]; then
    printf 'chain: not verified (verify: false)\n'
  elif [ -n "$_hyp_prebuilt_tls_cert_chain_ok" ]; then
    printf 'chain: verifies against %s\n' "${_hyp_prebuilt_tls_cert_ca:-the system store}"
  else
    printf 'chain: does not verify against %s: ' "${_hyp_prebuilt_tls_cert_ca:-the system store}"
    hyp_tls_verify_say
    printf '\n'
  fi
  awk '
    $1 == "subject" || $1 == "issuer" || $1 == "names" {
      k = $1; v = $0; sub(/^[^ ]* ?/, "", v)
      if (v != "") printf "%s: %s\n", k, v
    }
    $1 == "from" { from = $2 }
    $1 == "until" { until = $2 }
    END { printf "valid: from %s until %s\n", from, until }
  ' "$HYP_PLUGIN_DIR/tls-info"
  return "$_hyp_prebuilt_tls_cert_rc"
}

