#!/usr/bin/env bash
# Builds the Debian package and proves it works on a machine that has nothing but Debian 12 and
# the package's own dependencies: a minimal Debian 12 root (debootstrap, kept in the cache folder
# so later runs skip it) gets a fresh copy for every run, the package is installed into it with
# apt-get, and inside it the app prints its version, checks its store, lists its figures and
# exports a chart to PNG and to PDF without a display. Fails on any error. Needs root (or sudo).
#
#   scripts/package-check.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mirror=http://deb.debian.org/debian
cache="${XDG_CACHE_HOME:-$HOME/.cache}/compute-cliff"
pristine="$cache/debian-12-root"
archives="$cache/apt-archives"
root="$CLIFF_ROOT/build/package-root"

sudo=()
[ "$(id -u)" -ne 0 ] && sudo=(sudo)

cliff_install_packages
if ! command -v debootstrap >/dev/null; then
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends debootstrap
fi

cliff_build release
build="$CLIFF_ROOT/build/release"
rm -f "$build"/compute-cliff_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
package=$(ls "$build"/compute-cliff_*.deb)
echo "Built $(basename "$package"); it depends on:"
dpkg-deb -f "$package" Depends | tr ',' '\n' | sed 's/^ */    /'

if [ ! -d "$pristine" ]; then
    echo "Making a minimal Debian 12 root in $pristine (once)"
    "${sudo[@]}" rm -rf "$pristine.partial"
    "${sudo[@]}" mkdir -p "$cache"
    "${sudo[@]}" debootstrap --variant=minbase bookworm "$pristine.partial" "$mirror" >/dev/null
    "${sudo[@]}" mv "$pristine.partial" "$pristine"
fi

unmount_root() {
    for mount in "$root/var/cache/apt/archives" "$root/proc"; do
        if mountpoint -q "$mount" 2>/dev/null; then
            "${sudo[@]}" umount -l "$mount"
        fi
    done
}
unmount_root
trap unmount_root EXIT
"${sudo[@]}" rm -rf "$root"
"${sudo[@]}" cp -a "$pristine" "$root"
"${sudo[@]}" mkdir -p "$archives"
"${sudo[@]}" mount --bind "$archives" "$root/var/cache/apt/archives"
"${sudo[@]}" mount -t proc proc "$root/proc"
"${sudo[@]}" cp /etc/resolv.conf "$root/etc/resolv.conf"
"${sudo[@]}" tee "$root/etc/apt/sources.list" >/dev/null <<SOURCES
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
"${sudo[@]}" cp "$package" "$root/tmp/"

echo "Installing the package and only what it depends on"
log="$CLIFF_ROOT/build/package-check.log"
if ! { "${sudo[@]}" chroot "$root" apt-get update -q &&
       "${sudo[@]}" chroot "$root" env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -q --no-install-recommends "/tmp/$(basename "$package")"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Installing the package failed; the whole log is in $log" >&2
    exit 1
fi

echo "Running the installed app"
"${sudo[@]}" chroot "$root" env -i PATH=/usr/bin:/bin HOME=/root XDG_RUNTIME_DIR=/tmp/runtime \
    QT_QPA_PLATFORM=offscreen \
    sh -euc '
        mkdir -m 700 -p "$XDG_RUNTIME_DIR"
        cd /tmp
        compute-cliff --version
        compute-cliff check-db
        compute-cliff figures --format csv > figures.csv
        test "$(wc -l < figures.csv)" -gt 100
        head -c 3 figures.csv | grep -q "id,"
        compute-cliff export --view revenue-gap --out gap.png
        compute-cliff export --view fragility --out fragility.pdf
        head -c 8 gap.png | od -An -c | grep -q "P   N   G"
        head -c 5 fragility.pdf | grep -q "%PDF-"
        echo "figures: $(($(wc -l < figures.csv) - 1)) rows; gap.png $(wc -c < gap.png) bytes; fragility.pdf $(wc -c < fragility.pdf) bytes"
    '
echo "Package check passed."
