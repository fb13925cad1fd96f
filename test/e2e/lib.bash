# Container test harness: podman on a private store, a busybox-only image, and helpers to fire
# health checks and read container logs. Sourced by test/e2e/run.sh and loaded by the
# test/e2e/*.bats files (`load lib`). Needs root, podman, runc, conmon, catatonit, tar, dpkg and
# (until the .deb is cached) apt-get with package lists. See test/e2e/README.md.
#
# Every podman call goes through e2e_podman, which points podman at test/e2e/containers.conf and
# at a state folder of its own ($E2E_STATE: storage, run root, libpod tmp dir, network config), so
# the tests never see or change the host's containers, images, locks or events. What they still
# touch on the host (podman 4.3 has no setting for these): runc's /run/runc (entries go with
# each container), an empty /run/containers/networks, cgroups under libpod_parent (the pods'
# ones removed by e2e_cleanup, the conmon one stays) and /var/lib/containers/cache (the image
# library's blob-info cache, written by `podman import`).

E2E_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_CONF_TEMPLATE=$E2E_REPO/test/e2e/containers.conf
# The downloaded busybox-static .deb is kept here (the repo's gitignored tmp/) across runs.
E2E_CACHE=${HYP_E2E_CACHE:-$E2E_REPO/tmp/e2e-cache}
# Not ":latest", and under localhost/: kube play and run never try a registry for it.
E2E_IMAGE=${E2E_IMAGE:-localhost/hypothecary-e2e/busybox:1}
# What PID 1 of a test container runs when the test does not care: idle, and quits at once on
# TERM (`wait` returns for a trapped signal; a foreground sleep would finish first).
E2E_IDLE=(sh -c 'trap "exit 0" TERM; while :; do sleep 1 & wait $!; done')

# e2e_require: checks what the harness needs; prints one line per missing thing on stderr, sets
# E2E_MISSING to them all (joined by "; ") and fails if anything is missing.
e2e_require() {
  local missing=() tool
  [ "$(id -u)" = 0 ] || missing+=("root (the harness runs rootful podman)")
  for tool in podman runc conmon tar dpkg; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  # kube play builds its pause image from catatonit (podman's infra_command).
  if ! command -v catatonit >/dev/null 2>&1 && [ ! -x /usr/libexec/podman/catatonit ]; then
    missing+=("catatonit (podman kube play builds its pause image from it)")
  fi
  if ! ls "$E2E_CACHE"/busybox-static_*.deb >/dev/null 2>&1 && ! command -v apt-get >/dev/null 2>&1; then
    missing+=("apt-get (to download busybox-static into $E2E_CACHE)")
  fi
  # containers.conf's default_ulimits must fit under the hard limits (runc cannot raise them).
  local hn hu
  hn=$(ulimit -Hn) hu=$(ulimit -Hu)
  [ "$hn" = unlimited ] || [ "$hn" -ge 1024 ] || missing+=("a hard nofile limit >= 1024 (have $hn)")
  [ "$hu" = unlimited ] || [ "$hu" -ge 4096 ] || missing+=("a hard nproc limit >= 4096 (have $hu)")
  E2E_MISSING=
  [ ${#missing[@]} -eq 0 ] && return 0
  printf 'e2e: missing: %s\n' "${missing[@]}" >&2
  E2E_MISSING=$(IFS=';'; printf '%s' "${missing[*]}")
  E2E_MISSING=${E2E_MISSING//;/; }
  return 1
}

# e2e_state_create: makes a private podman state folder and exports E2E_STATE (reuses it when
# E2E_STATE already names one, as test/e2e/run.sh arranges for all the bats files of a run).
e2e_state_create() {
  if [ -n "${E2E_STATE:-}" ] && [ -f "$E2E_STATE/containers.conf" ]; then
    export E2E_STATE
    return 0
  fi
  E2E_STATE=$(mktemp -d "${TMPDIR:-/tmp}/hyp-e2e.XXXXXX") || return 1
  export E2E_STATE
  mkdir -p "$E2E_STATE/root" "$E2E_STATE/runroot" "$E2E_STATE/tmp" "$E2E_STATE/networks"
  # The host's /etc/containers/storage.conf (if any) must not pick a driver or mount program.
  printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/root"\nrunroot = "%s/runroot"\n' \
    "$E2E_STATE" "$E2E_STATE" >"$E2E_STATE/storage.conf"
  # The committed settings plus this run's network config folder (kube play without --network
  # would write its default network there, not in /etc/containers/networks).
  { cat "$E2E_CONF_TEMPLATE"
    printf '\n[network]\nnetwork_config_dir = "%s/networks"\n' "$E2E_STATE"
  } >"$E2E_STATE/containers.conf"
}

# e2e_state_destroy: removes every container, pod, volume and image of the private store and
# the state folder itself.
e2e_state_destroy() {
  [ -n "${E2E_STATE:-}" ] && [ -d "$E2E_STATE" ] || return 0
  e2e_cleanup
  e2e_podman rmi -af >/dev/null 2>&1 || true
  # Nothing of ours may stay mounted (overlay layers, volume binds) before the folder goes.
  local mnt
  while read -r _ mnt _; do
    case $mnt in "$E2E_STATE"/*) umount -l "$mnt" 2>/dev/null || true ;; esac
  done </proc/mounts
  rm -rf "$E2E_STATE"
}

# e2e_podman ARGS...: podman on the private store. Podman passes every descriptor it inherits
# to the conmon it leaves running for each container, so podman gets none beyond 0-2 (else a
# `$(...)` or bats `run` around `podman run -d` or `kube play` would wait for conmon, that is
# forever, and bats' own descriptors would stay open). Drops podman 4.3's "unable to get systemd
# connection" errors: it adds health-check timers through systemd, absent here; health checks
# then run only when a test fires them (e2e_healthcheck).
e2e_podman() {
  { _e2e_podman "$@" 2>&1 >&3 3>&- | { grep -v 'unable to get systemd connection' >&2 || true; }
    return "${PIPESTATUS[0]}"
  } 3>&1
}

_e2e_podman() {
  local fd
  for fd in /proc/"$BASHPID"/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
  done
  CONTAINERS_CONF=$E2E_STATE/containers.conf CONTAINERS_STORAGE_CONF=$E2E_STATE/storage.conf \
    exec podman --root "$E2E_STATE/root" --runroot "$E2E_STATE/runroot" --tmpdir "$E2E_STATE/tmp" "$@"
}

# e2e_cleanup: removes every pod, container and volume of the private store (images stay).
e2e_cleanup() {
  [ -n "${E2E_STATE:-}" ] && [ -d "$E2E_STATE" ] || return 0
  local pods=()
  mapfile -t pods < <(e2e_podman pod ps -q --no-trunc 2>/dev/null)
  if [ ${#pods[@]} -gt 0 ]; then
    e2e_podman pod stop -t 0 "${pods[@]}" >/dev/null 2>&1
    _e2e_pod_cgroups_prune "${pods[@]}"
    e2e_podman pod rm -f -t 0 "${pods[@]}" >/dev/null 2>&1
    _e2e_pod_cgroups_prune "${pods[@]}"
  fi
  e2e_podman rm -af -t 0 >/dev/null 2>&1
  e2e_podman volume rm -af >/dev/null 2>&1
  rm -rf "$E2E_STATE/kube"
  return 0
}

# _e2e_pod_cgroups_prune POD_ID...: podman 4.3 with cgroupfs on cgroup v1 leaves the cgroups of a
# pod's stopped containers in the name=systemd and unified hierarchies, then spends 3 s retrying
# to remove the pod's cgroup above them and leaves both behind. Removes those that are empty
# (rmdir fails on a cgroup that still has processes or children, so this never harms a live one).
_e2e_pod_cgroups_prune() {
  local id dir
  for id in "$@"; do
    for dir in /sys/fs/cgroup/*/libpod_parent/"$id"; do
      [ -d "$dir" ] || continue
      find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
    done
  done
  return 0
}

# e2e_busybox_deb: prints the path of Debian's busybox-static .deb, downloading it into
# $E2E_CACHE the first time.
e2e_busybox_deb() {
  local debs=("$E2E_CACHE"/busybox-static_*.deb)
  if [ ! -f "${debs[-1]}" ]; then
    mkdir -p "$E2E_CACHE" || return 1
    local dl
    dl=$(mktemp -d "$E2E_CACHE/.download.XXXXXX") || return 1
    # As root into a folder the _apt sandbox user cannot write: say so, instead of a warning.
    if ! (cd "$dl" && apt-get download -q -o APT::Sandbox::User=root busybox-static >&2); then
      rm -rf "$dl"
      printf 'e2e: cannot download busybox-static (run apt-get update?)\n' >&2
      return 1
    fi
    mv "$dl"/busybox-static_*.deb "$E2E_CACHE"/ && rmdir "$dl" || return 1
    debs=("$E2E_CACHE"/busybox-static_*.deb)
  fi
  # The newest version, should the cache hold several.
  printf '%s\n' "${debs[-1]}"
}

# e2e_rootfs_busybox DIR: a busybox-only root filesystem in DIR (which must not exist or be
# empty): Debian's static busybox with a /bin symlink for each applet (no bash, curl or
# coreutils), root and app (uid/gid 1000) in /etc/passwd and /etc/group, /tmp and /var/tmp 1777,
# /proc /dev /sys /run mount points, $HOME folders.
e2e_rootfs_busybox() {
  local dir=$1 deb applet
  deb=$(e2e_busybox_deb) || return 1
  mkdir -p "$dir" && dpkg -x "$deb" "$dir" || return 1
  rm -rf "${dir:?}/usr/share"
  [ -x "$dir/bin/busybox" ] || { printf 'e2e: no bin/busybox in %s\n' "$deb" >&2; return 1; }
  for applet in $("$dir/bin/busybox" --list); do
    [ -e "$dir/bin/$applet" ] || ln -s busybox "$dir/bin/$applet"
  done
  mkdir -p "$dir/etc" "$dir/proc" "$dir/dev" "$dir/sys" "$dir/run" "$dir/tmp" "$dir/var/tmp" \
    "$dir/root" "$dir/home/app" "$dir/usr/bin" "$dir/usr/sbin" "$dir/sbin"
  chmod 1777 "$dir/tmp" "$dir/var/tmp"
  chmod 700 "$dir/root"
  chown 1000:1000 "$dir/home/app"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'app:x:1000:1000:app:/home/app:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$dir/etc/passwd"
  printf '%s\n' 'root:x:0:' 'app:x:1000:' 'nogroup:x:65534:' >"$dir/etc/group"
  local tool
  for tool in bash curl; do
    if [ -e "$dir/bin/$tool" ]; then printf 'e2e: %s in the busybox rootfs\n' "$tool" >&2; return 1; fi
  done
}

# e2e_image_busybox [NAME]: imports the busybox rootfs as image NAME (default $E2E_IMAGE) into
# the private store, unless it is there already. kube play needs an image (podman run --rootfs
# would do for run alone, but writes into the folder); the image also carries PATH, which
# kube play containers get only from their image.
e2e_image_busybox() {
  local name=${1:-$E2E_IMAGE}
  e2e_podman image exists "$name" && return 0
  local work
  work=$(mktemp -d "$E2E_STATE/rootfs.XXXXXX") || return 1
  e2e_rootfs_busybox "$work/rootfs" &&
    tar -C "$work/rootfs" --numeric-owner -cf "$work/rootfs.tar" . &&
    e2e_podman import -q \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["/bin/sh"]' "$work/rootfs.tar" "$name" >/dev/null
  local rc=$?
  rm -rf "$work"
  return $rc
}

# e2e_setup_file / e2e_teardown_file: for a bats file's setup_file and teardown_file. A file run
# on its own makes (and then removes) a state folder of its own; under run.sh it shares the run's.
e2e_setup_file() {
  if ! e2e_require; then
    if [ "${HYP_REQUIRE_SHELLS:-0}" = 1 ]; then
      printf 'e2e: cannot run the container tests (HYP_REQUIRE_SHELLS=1)\n' >&2
      return 1
    fi
    skip "the podman harness lacks $E2E_MISSING"
  fi
  if [ -n "${E2E_STATE:-}" ] && [ -f "$E2E_STATE/containers.conf" ]; then
    export E2E_STATE_OWNED=0
  else
    unset E2E_STATE
    export E2E_STATE_OWNED=1
  fi
  e2e_state_create && e2e_image_busybox "$E2E_IMAGE"
}

e2e_teardown_file() {
  [ -n "${E2E_STATE:-}" ] || return 0
  if [ "${E2E_STATE_OWNED:-0}" = 1 ] && [ "${HYP_E2E_KEEP:-0}" != 1 ]; then
    e2e_state_destroy
  else
    e2e_cleanup
  fi
}

# e2e_setup: for a bats file's setup: bats-support and bats-assert, and HYP, a folder of the
# test's own that tests mount into containers.
e2e_setup() {
  load "$E2E_REPO/node_modules/bats-support/load.bash"
  load "$E2E_REPO/node_modules/bats-assert/load.bash"
  HYP=$BATS_TEST_TMPDIR/hyp
  mkdir -p "$HYP"
}

# e2e_now_ms: wall clock in milliseconds.
e2e_now_ms() {
  local t=${EPOCHREALTIME/[.,]/}
  printf '%s\n' "${t%???}"
}

# e2e_run_idle NAME [PODMAN_RUN_OPTIONS...]: starts container NAME of $E2E_IMAGE in the
# background, its PID 1 idle (E2E_IDLE), with the options given (--user, -v, --health-cmd...).
e2e_run_idle() {
  local name=$1
  shift
  e2e_podman run -d --name "$name" "$@" "$E2E_IMAGE" "${E2E_IDLE[@]}" >/dev/null
}

# shellcheck disable=SC2034 # E2E_HC_* are for the tests
# e2e_healthcheck NAME: fires NAME's health check once (podman healthcheck run) and sets
# E2E_HC_STATUS (0 healthy, 1 unhealthy, 125 error or timeout), E2E_HC_OUTPUT (what podman
# printed) and E2E_HC_MS (how long it took). Always returns 0.
e2e_healthcheck() {
  local start
  start=$(e2e_now_ms)
  E2E_HC_STATUS=0
  E2E_HC_OUTPUT=$(e2e_podman healthcheck run "$1" 2>&1) || E2E_HC_STATUS=$?
  E2E_HC_MS=$(($(e2e_now_ms) - start))
  return 0
}

# e2e_health_log NAME: the last health-check result podman recorded for NAME, as
# "EXITCODE OUTPUT" (the probe's own stdout and stderr; podman keeps them, a line per run).
e2e_health_log() {
  e2e_podman inspect "$1" --format '{{with .State.Health}}{{range .Log}}{{.ExitCode}} {{.Output}}{{"\n"}}{{end}}{{end}}' |
    sed '/^$/d' | tail -n 1
}

# e2e_wait_log NAME TEXT [SECONDS]: waits (default 10 s) until `podman logs NAME` holds TEXT
# (fixed string); on timeout prints the log and fails. Detached jobs write to the log after the
# health check returned, so a test waits for their line rather than sleeping.
e2e_wait_log() {
  local name=$1 text=$2 deadline
  deadline=$(($(e2e_now_ms) + ${3:-10} * 1000))
  while :; do
    if e2e_podman logs "$name" 2>&1 | grep -qF -- "$text"; then return 0; fi
    if [ "$(e2e_now_ms)" -ge "$deadline" ]; then
      printf 'e2e: "%s" not in the log of %s after %ss; log:\n' "$text" "$name" "${3:-10}" >&2
      e2e_podman logs "$name" >&2
      return 1
    fi
    sleep 0.1
  done
}

# e2e_exec_eof NAME CMD...: runs CMD in container NAME like a kubelet exec probe on containerd
# does: CMD's stdout and stderr go through a pipe inside the container, and this returns only
# when every process holding them closed them (podman exec and podman healthcheck run return as
# soon as CMD exits, so they cannot see a detached job that kept the probe's stdout). Prints the
# output; returns CMD's status.
e2e_exec_eof() {
  local name=$1
  shift
  # fd 4 carries CMD's status out; CMD and its jobs get neither 3 nor 4, only the pipe to cat.
  # shellcheck disable=SC2016 # the script is for the container's sh
  e2e_podman exec "$name" sh -c \
    'exec 3>&1; s=$( { { "$@" 3>&- 4>&-; echo $? >&4; } 2>&1 | cat >&3; } 4>&1 ); exit "$s"' \
    e2e-exec-eof "$@"
}

# e2e_kube_play YAML [OPTIONS...]: podman kube play, with no network unless OPTIONS name one or
# the Pod has hostNetwork: true (podman's default would make a bridge network, with firewall
# rules on the host). Containers are
# named POD-CONTAINER (metadata.name, then the container's name); the infra container is
# POD_ID[:12]-infra. Only livenessProbe becomes a health check (readiness and startup probes
# are ignored by podman 4.3); periodSeconds becomes the health interval, which fires on its own
# only on a host with systemd: give long periods and fire checks with e2e_healthcheck.
e2e_kube_play() {
  local yaml=$1 opt out net=(--network none)
  shift
  for opt in "$@"; do case $opt in --network*) net=() ;; esac; done
  # A Pod with hostNetwork: true gets the host's network (its 127.0.0.1), which --network none
  # would override.
  if grep -Eq '^[[:space:]]*hostNetwork:[[:space:]]*true' "$yaml"; then net=(); fi
  out=$(e2e_podman kube play "${net[@]}" "$@" "$yaml") || { printf '%s\n' "$out"; return 1; }
  # The ids of the pods it made (the line after "Pod:"), for e2e_kube_down.
  mkdir -p "$E2E_STATE/kube"
  printf '%s\n' "$out" | awk 'p { print; p = 0 } /^Pod:$/ { p = 1 }' >"$E2E_STATE/kube/$(_e2e_key "$yaml")"
}

# e2e_kube_down YAML: podman kube down, quickly (see _e2e_pod_cgroups_prune), and the ConfigMap
# volumes it leaves behind.
e2e_kube_down() {
  local pods=() key
  key=$E2E_STATE/kube/$(_e2e_key "$1")
  [ ! -f "$key" ] || mapfile -t pods <"$key"
  if [ ${#pods[@]} -gt 0 ]; then
    e2e_podman pod stop -t 0 "${pods[@]}" >/dev/null
    _e2e_pod_cgroups_prune "${pods[@]}"
  fi
  e2e_podman kube down "$1" >/dev/null || return 1
  _e2e_pod_cgroups_prune "${pods[@]}"
  rm -f "$key"
  e2e_podman volume prune -f >/dev/null
}

_e2e_key() {
  printf '%s' "$1" | cksum | tr ' ' '-'
}
