# hypothecary runtime: lib/file-age
# How long ago a file was last written, with what a busybox-only image has.

# worker_file_age PATH: sets worker_age_secs to the seconds since PATH was last modified. Fails
# when PATH is missing; returns 2 when there is no `stat` that tells modification times.
worker_file_age() {
  [ -e "$1" ] || return 1
  # GNU and busybox stat both know -c %Y (seconds since the epoch).
  _worker_file_age_mtime=$(stat -c %Y -- "$1" 2>/dev/null) || return 2
  case $_worker_file_age_mtime in '' | *[!0-9]*) return 2 ;; esac
  worker_age_secs=$(($(date +%s) - _worker_file_age_mtime))
  # A file stamped in the future (a skewed writer) is as fresh as it gets.
  [ "$worker_age_secs" -ge 0 ] || worker_age_secs=0
}
