#!/bin/sh
# Installs the Debian packages `npm run bench` needs besides node and the project's own
# dependencies (bench/lib/machine.mjs checks for each and names the missing ones). Run as root.
# bind9-dnsutils brings dig, which check_dig runs. Under systemd, prometheus-blackbox-exporter's
# package also starts its own service on :9115; the bench starts another one, on a free loopback
# port with its own config, and does not use that one.
set -eu
apt-get update
apt-get install -y --no-install-recommends \
  dash busybox curl netcat-openbsd openssl ca-certificates \
  monitoring-plugins-basic monitoring-plugins-standard bind9-dnsutils \
  prometheus-blackbox-exporter
