# hypothecary prebuilt: DISK
# summary: Checks how full the filesystem holding a path is, in space and in inodes.
# reports: the percentage used against the limit, the free space, and the inodes used (when the filesystem counts them).
# function: hyp_prebuilt_disk
# requires: plugin-api lib/host
# param path: string = / -- a file or folder on the filesystem to check
# param max_used: integer = 90 -- fails when more than this percentage of the space is used (as df counts it: reserved blocks excluded)
# param min_free: string = "" -- also fails when less than this much is free: a size such as 500M, 2G or 1.5GiB (units of 1024); empty for no minimum
# param max_inodes_used: integer = 90 -- fails when more than this percentage of the inodes is used
#
# Works with df or busybox df (`df -P -k PATH`, `df -P -i PATH`). Exits 0 when the filesystem is
# within every limit, 1 when it is not or the path does not exist, 2 on a parameter it cannot use.

# hyp_prebuilt_disk: checks hyp_arg_path (see the header). Prints one line, for example
#   DISK /data: 97% used (over the 90% limit), 1.2 GiB free of 40 GiB; inodes 12% used (limit 90%)
#   DISK /: 22% used (limit 90%), 79 GiB free of 252 GiB; inodes 3% used (limit 90%)
#   DISK /nope: no such file or directory
# then the filesystem and where it is mounted.
# shellcheck disable=SC2154 # hyp_host_awk is set by lib/host
hyp_prebuilt_disk() {
  _hyp_prebuilt_disk_path=${hyp_arg_path:-/}
  _hyp_prebuilt_disk_max=${hyp_arg_max_used:-90}
  _hyp_prebuilt_disk_imax=${hyp_arg_max_inodes_used:-90}
  _hyp_prebuilt_disk_min=${hyp_arg_min_free-}
  # The compiler validates the parameters; these checks are for a runner edited by hand.
  for _hyp_prebuilt_disk_n in "$_hyp_prebuilt_disk_max" "$_hyp_prebuilt_disk_imax"; do
    case $_hyp_prebuilt_disk_n in
      '' | *[!0-9]*)
        printf 'DISK %s: a percentage limit must be a whole number from 0 to 100, not "%s"\n' \
          "$_hyp_prebuilt_disk_path" "$_hyp_prebuilt_disk_n"
        return 2
        ;;
    esac
  done
  if [ -n "$_hyp_prebuilt_disk_min" ] &&
    ! awk -v t="$_hyp_prebuilt_disk_min" "$hyp_host_awk"'BEGIN { exit hyp_size(t) < 0 }'; then
    printf 'DISK %s: min_free "%s" is not a size such as 500M, 2G or 1.5GiB\n' \
      "$_hyp_prebuilt_disk_path" "$_hyp_prebuilt_disk_min"
    return 2
  fi
  if [ ! -e "$_hyp_prebuilt_disk_path" ]; then
    printf 'DISK %s: no such file or directory\n' "$_hyp_prebuilt_disk_path"
    return 1
  fi
  if hyp_have df; then
    set -- df
  elif hyp_have busybox; then
    set -- busybox df
  else
    hyp_skip "no df here (looked for df and busybox df)"
  fi
  # A path starting with "-" would read as an option.
  case $_hyp_prebuilt_disk_path in
    -*) _hyp_prebuilt_disk_arg=./$_hyp_prebuilt_disk_path ;;
    *) _hyp_prebuilt_disk_arg=$_hyp_prebuilt_disk_path ;;
  esac
  LC_ALL=C "$@" -P -k "$_hyp_prebuilt_disk_arg" >"$HYP_PLUGIN_DIR/disk-k" 2>"$HYP_PLUGIN_DIR/disk-err"
  _hyp_prebuilt_disk_rc=$?
  # Some df builds have no -i: the inodes are then unknown, not a failure.
  LC_ALL=C "$@" -P -i "$_hyp_prebuilt_disk_arg" >"$HYP_PLUGIN_DIR/disk-i" 2>/dev/null ||
    : >"$HYP_PLUGIN_DIR/disk-i"
  # df -P prints a header, then one line: FILESYSTEM TOTAL USED AVAILABLE CAPACITY% MOUNTPOINT.
  # The file system and the mount point may hold spaces: the numbers are found as the three
  # fields before the first "N%" field.
  awk -v path="$_hyp_prebuilt_disk_path" -v max="$_hyp_prebuilt_disk_max" -v imax="$_hyp_prebuilt_disk_imax" \
    -v minfree="$_hyp_prebuilt_disk_min" -v rc="$_hyp_prebuilt_disk_rc" "$hyp_host_awk"'
    function num(s) { return s ~ /^[0-9]+$/ || s == "-" }
    function parse(   i, j) {
      for (i = 5; i <= NF; i++) {
        if (($i ~ /^[0-9]+%$/ || $i == "-") && num($(i - 1)) && num($(i - 2)) && num($(i - 3))) {
          total = $(i - 3); used = $(i - 2); avail = $(i - 1); cap = $i
          fs = $1; for (j = 2; j < i - 3; j++) fs = fs " " $j
          mnt = $(i + 1); for (j = i + 2; j <= NF; j++) mnt = mnt " " $j
          return 1
        }
      }
      return 0
    }
    FILENAME ~ /disk-k$/ && FNR > 1 && !kfound { if (parse()) { kfound = 1; ktotal = total; kused = used; kavail = avail; kcap = cap; kfs = fs; kmnt = mnt } }
    FILENAME ~ /disk-i$/ && FNR > 1 && !ifound { if (parse()) { ifound = 1; itotal = total; iused = used; icap = cap } }
    FILENAME ~ /disk-err$/ && $0 != "" && err == "" { err = $0 }
    END {
      if (!kfound) {
        sub(/^(busybox )?df: /, "", err)
        printf "DISK %s: df could not tell (%s)\n", path, (err != "" ? err : "df exited with status " rc)
        exit 1
      }
      fail = 0
      # df rounds its Capacity up and leaves out the blocks reserved for root; so do we.
      p = kcap; sub(/%$/, "", p)
      if (p !~ /^[0-9]+$/) p = hyp_pct(kused, kused + kavail)
      p += 0
      if (p > max) fail = 1
      line = sprintf("DISK %s: %d%% used (%s), %s free of %s", path, p, hyp_limit(p, max), hyp_human(kavail * 1024), hyp_human(ktotal * 1024))
      if (minfree != "") {
        need = hyp_size(minfree)
        if (kavail * 1024 < need) { fail = 1; line = line sprintf(" (below the %s minimum)", hyp_human(need)) }
        else line = line sprintf(" (minimum %s)", hyp_human(need))
      }
      ip = icap; sub(/%$/, "", ip)
      if (!ifound || itotal !~ /^[0-9]+$/ || itotal == 0) line = line "; inodes: unknown"
      else {
        if (ip !~ /^[0-9]+$/) ip = hyp_pct(iused, itotal)
        ip += 0
        if (ip > imax) fail = 1
        line = line sprintf("; inodes %d%% used (%s)", ip, hyp_limit(ip, imax))
      }
      print line
      printf "filesystem %s mounted on %s: %s used of %s", kfs, kmnt, hyp_human(kused * 1024), hyp_human(ktotal * 1024)
      if (ifound && itotal ~ /^[0-9]+$/ && itotal > 0) printf "; %.0f of %.0f inodes used", iused, itotal
      else if (!ifound) printf "; this df cannot count inodes"
      else printf "; the filesystem does not count inodes"
      printf "\n"
      exit fail
    }' "$HYP_PLUGIN_DIR/disk-k" "$HYP_PLUGIN_DIR/disk-i" "$HYP_PLUGIN_DIR/disk-err"
}
