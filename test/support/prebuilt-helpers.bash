# Helpers for test/shell/prebuilts.bats (bash, loaded by bats; the code under test runs under
# $HYP_SH, not here).
#
# A prebuilt is tested the way the runner uses it: runtime/plugin-api.sh, stdlib/lib/net.sh and
# stdlib/NAME.sh concatenated into one script (manifest headers are comments), the parameters as
# hyp_arg_* variables, a private HYP_PLUGIN_DIR, and hyp_prebuilt_NAME called in a subshell. The
# script runs under $HYP_SH with PATH set to a folder holding only the tools the test allows.

HYP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

load "$HYP_ROOT/node_modules/bats-support/load"
load "$HYP_ROOT/node_modules/bats-assert/load"

# The shell under test, e.g. HYP_SH="zsh --emulate sh": its first word resolved now, because the
# script itself runs with a PATH that holds no shells.
hyp_shell_argv() {
  local words
  read -r -a words <<<"${HYP_SH:-sh}"
  local abs
  abs=$(type -P "${words[0]}") || {
    printf 'HYP_SH: %s not found\n' "${words[0]}" >&2
    return 1
  }
  HYP_SH_ARGV=("$abs" "${words[@]:1}")
}

# ---- tool folders ------------------------------------------------------------------------------
# What the scripts need besides the network tool, as programs: awk, sleep and rm always; printf
# and kill too, because mksh has no printf builtin and posh has neither; date for the clock's
# fallback.
HYP_BASE_TOOLS=(awk sleep rm printf kill date)

# hyp_bin_dir NAME TOOL...: a folder $HYP_BINS/NAME with the base tools and TOOLs, each a symlink
# to the real program.
hyp_bin_dir() {
  local dir=$HYP_BINS/$1 tool path
  shift
  mkdir -p "$dir"
  for tool in "${HYP_BASE_TOOLS[@]}" "$@"; do
    path=$(type -P "$tool") || {
      printf 'hyp_bin_dir: %s is not installed\n' "$tool" >&2
      return 1
    }
    ln -sf "$path" "$dir/$tool"
  done
}

# hyp_busybox_dir NAME [TOOL...]: a folder that looks like a busybox-only image: busybox and
# its applets as symlinks (plus real TOOLs, if any).
hyp_busybox_dir() {
  local dir=$HYP_BINS/$1 applet bb tool
  shift
  bb=$(type -P busybox)
  mkdir -p "$dir"
  ln -sf "$bb" "$dir/busybox"
  for applet in sh awk sleep rm cat printf kill date mkdir true test '[' wget nc; do
    ln -sf "$bb" "$dir/$applet"
  done
  for tool in "$@"; do ln -sf "$(type -P "$tool")" "$dir/$tool"; done
}

# ---- loopback peers ----------------------------------------------------------------------------
# hyp_wait_port NAME PID: waits for the peer PID to write its port to $BATS_FILE_TMPDIR/NAME.port,
# then exports NAME_PORT and NAME_PID (NAME upper-cased).
hyp_wait_port() {
  local name=$1 pid=$2 port_file=$BATS_FILE_TMPDIR/$1.port i
  for ((i = 0; i < 100; i++)); do
    [[ -s $port_file ]] && break
    sleep 0.05
  done
  [[ -s $port_file ]] || {
    printf 'peer %s did not start:\n' "$name" >&2
    cat "$BATS_FILE_TMPDIR/$name.out" >&2
    return 1
  }
  local upper=${name^^}
  export "${upper}_PORT=$(<"$port_file")" "${upper}_PID=$pid"
}

# hyp_start_http NAME [--tls CERT KEY]: a test/support/http-server.mjs peer.
hyp_start_http() {
  local name=$1
  shift
  rm -f "$BATS_FILE_TMPDIR/$name.port"
  # 3>&-: bats waits for fd 3 to close; a server holding it would hang the run.
  node "$HYP_ROOT/test/support/http-server.mjs" "$BATS_FILE_TMPDIR/$name.port" "$@" \
    >"$BATS_FILE_TMPDIR/$name.out" 2>&1 3>&- &
  hyp_wait_port "$name" "$!"
}

# hyp_start_tcp NAME MODE: a test/support/tcp-server.mjs peer (open, closed or blackhole).
hyp_start_tcp() {
  local name=$1
  rm -f "$BATS_FILE_TMPDIR/$name.port"
  node "$HYP_ROOT/test/support/tcp-server.mjs" "$BATS_FILE_TMPDIR/$name.port" "$2" \
    >"$BATS_FILE_TMPDIR/$name.out" 2>&1 3>&- &
  hyp_wait_port "$name" "$!"
}

hyp_stop() {
  local pid
  for pid; do
    [[ -n $pid ]] || continue
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# ---- running a prebuilt ------------------------------------------------------------------------
# Single-quotes a value for sh, the one way the compiler does it.
hyp_quote() {
  local s=$1
  printf "'%s'" "${s//\'/\'\\\'\'}"
}

# run_prebuilt BIN NAME [VAR=VALUE... --] [PARAM=VALUE...]: runs stdlib/NAME.sh as the runner
# would: plugin-api, the stdlib helpers its `# requires:` names (and theirs), the file, then its
# `# function:` in a subshell, with the parameters as hyp_arg_PARAM and a fresh $PLUGIN_DIR.
# VARs before `--` are exported to it (proxy settings, AWS keys...), as is $PLUGIN_ENV (shell
# assignments) when set. Goes through bats' `run` ($status, $output, $lines); ELAPSED_MS is how
# long the script took.
run_prebuilt() {
  local bin=$1 name=$2 kv envs=()
  shift 2
  if [[ " $* " == *" -- "* ]]; then
    while [[ $1 != -- ]]; do envs+=("$1"); shift; done
    shift
  fi
  local file=$HYP_ROOT/stdlib/$name.sh fn
  fn=$(sed -n 's/^# function: //p' "$file")
  PLUGIN_DIR=$BATS_TEST_TMPDIR/plugin
  rm -rf "$PLUGIN_DIR"
  mkdir -p "$PLUGIN_DIR"
  local script=$BATS_TEST_TMPDIR/prebuilt.sh
  {
    printf 'HYP_PLUGIN_DIR=%s\n' "$(hyp_quote "$PLUGIN_DIR")"
    [[ -z ${PLUGIN_ENV-} ]] || printf '%s\n' "$PLUGIN_ENV"
    for kv in "${envs[@]}"; do printf '%s=%s; export %s\n' "${kv%%=*}" "$(hyp_quote "${kv#*=}")" "${kv%%=*}"; done
    for kv; do printf 'hyp_arg_%s=%s\n' "${kv%%=*}" "$(hyp_quote "${kv#*=}")"; done
    cat "$HYP_ROOT/runtime/plugin-api.sh"
    local lib seen=" "
    for lib in $(hyp_stdlib_requires "$file"); do
      [[ $seen == *" $lib "* ]] || cat "$(hyp_fragment_file "$lib")"
      seen="$seen$lib "
    done
    cat "$file"
    # The runner calls a prebuilt in a subshell: hyp_skip's `exit` ends only that.
    printf '( %s )\n' "$fn"
  } >"$script"
  hyp_run_script "$script" "$bin"
}

# hyp_stdlib_requires FILE: the fragments FILE requires (stdlib helpers lib/NAME, runtime
# fragments such as clock) but plugin-api, which run_prebuilt puts first, each after the ones it
# requires itself.
hyp_stdlib_requires() {
  local lib
  for lib in $(sed -n 's/^# requires: //p' "$1"); do
    [[ $lib != plugin-api ]] || continue
    hyp_stdlib_requires "$(hyp_fragment_file "$lib")"
    printf '%s\n' "$lib"
  done
}

# hyp_fragment_file NAME: lib/NAME is stdlib/lib/NAME.sh, anything else runtime/NAME.sh.
hyp_fragment_file() {
  case $1 in
    lib/*) printf '%s\n' "$HYP_ROOT/stdlib/$1.sh" ;;
    *) printf '%s\n' "$HYP_ROOT/runtime/$1.sh" ;;
  esac
}

# hyp_run_script SCRIPT BIN: runs SCRIPT under $HYP_SH in a clean environment (no proxy
# settings, no locale: as a probe often runs), PATH=$HYP_BINS/BIN, a HOME of our own, and a mark
# every process it starts inherits (teardown looks for it to catch leftovers).
hyp_run_script() {
  local script=$1 bin=$2 locale=()
  # yash in the C locale cannot read a script holding any non-ASCII byte, even in a comment
  # ("cannot read input: Invalid or incomplete multibyte or wide character"). stdlib/ is ASCII
  # (a test checks); runtime/plugin-api.sh has a "…" in a comment: until that goes, yash reads
  # such scripts under a UTF-8 locale.
  if [[ ${HYP_SH_ARGV[0]##*/} == yash ]] && LC_ALL=C grep -q '[^[:print:][:space:]]' "$script"; then
    locale=(LANG=C.UTF-8)
  fi
  local t0=${EPOCHREALTIME/./}
  run env -i PATH="$HYP_BINS/$bin" HOME="$BATS_TEST_TMPDIR" HYP_TEST_MARK="$HYP_TEST_MARK" "${locale[@]}" \
    "${HYP_SH_ARGV[@]}" "$script"
  ELAPSED_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
}

# The HTTP status the plugin recorded last (empty when none).
recorded_status() {
  [[ -f $PLUGIN_DIR/http ]] && tail -n 1 "$PLUGIN_DIR/http"
  return 0
}

assert_recorded_status() {
  assert_equal "$(recorded_status)" "$1"
}

assert_elapsed_below() {
  ((ELAPSED_MS < $1)) || fail "took ${ELAPSED_MS} ms, expected under $1 ms"
}

# No process the plugin started may outlive it (the prebuilt contract).
assert_no_leftovers() {
  local left
  left=$(grep -lzs "^HYP_TEST_MARK=$HYP_TEST_MARK\$" /proc/[0-9]*/environ | cut -d/ -f3 | paste -sd, -)
  [[ -z $left ]] && return 0
  ps -o pid,ppid,stat,args -p "$left" >&2 || true
  fail "processes left behind: $left"
}
