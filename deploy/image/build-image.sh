#!/bin/bash
# Builds the kiosk's Debian 12 image from a france-services-kiosk .deb: a root tree, a raw ext4 disk made from it
# without a loop mount, and the kernel and initramfs QEMU boots directly (no bootloader).
#   build-image.sh DEB OUTDIR [CACHEDIR]
# OUTDIR gets tree/, disk.raw, vmlinuz, initrd.img, cmdline. CACHEDIR (default OUTDIR/cache) keeps the downloaded
# packages and a base tree with every Debian package installed, keyed on the package lists: a second build only
# copies the base, installs the .deb and the image's settings (deploy/image/rootfs), and makes the disk.
# Runs as root (mmdebstrap in root mode, systemd-nspawn). Prints the phases' durations on stderr.
set -euo pipefail

deb=${1:?usage: build-image.sh DEB OUTDIR [CACHEDIR]}
out=${2:?usage: build-image.sh DEB OUTDIR [CACHEDIR]}
cache=${3:-$out/cache}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
deb=$(realpath "$deb")
mkdir -p "$out" "$cache/archives"
out=$(realpath "$out")
cache=$(realpath "$cache")

phase_start=$SECONDS
phase() {
    echo "build-image: $1 ($((SECONDS - phase_start)) s)" >&2
    phase_start=$SECONDS
}

# The kiosk's Depends by name (versions and alternatives left to apt: the first alternative is taken).
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u)
packages=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/packages.txt" | sort -u)
include=$(printf '%s\n%s\n' "$depends" "$packages" | sort -u | paste -sd, -)

# The base tree: Debian packages and the initramfs only, so it changes when the lists do (or base_recipe, to be
# raised when the mmdebstrap command below changes).
base_recipe=1
key=$(printf '%s\n%s\n' "$base_recipe" "$include" | sha256sum | cut -c1-16)
base=$cache/base-$key
if [[ ! -d "$base" ]]; then
    rm -rf "$cache"/base-* "$cache/base.tmp"
    # --skip=essential/unlink and the sync hooks keep every downloaded .deb in CACHEDIR/archives for the next base.
    nice mmdebstrap --mode=root --variant=apt --skip=essential/unlink \
        --include="$include" \
        --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
        --setup-hook="sync-in $cache/archives /var/cache/apt/archives/" \
        --customize-hook="sync-out /var/cache/apt/archives $cache/archives" \
        --customize-hook='chroot "$1" update-initramfs -u -k all' \
        bookworm "$cache/base.tmp" >&2
    mv "$cache/base.tmp" "$base"
    phase "base tree made with mmdebstrap"
else
    phase "base tree from the cache ($base)"
fi

tree=$out/tree
rm -rf "$tree"
cp -a --reflink=auto "$base" "$tree"
phase "base tree copied"

# The kiosk's package, as apt would install it on an office PC (its Depends are in the base already).
chroot_run() {
    systemd-nspawn --quiet --register=no --keep-unit --pipe -D "$tree" -E DEBIAN_FRONTEND=noninteractive "$@"
}
chroot_run --bind-ro="$deb:/var/tmp/$(basename "$deb")" dpkg -i "/var/tmp/$(basename "$deb")" >&2
phase "kiosk package installed"

# The image's settings: the virtual devices, fstab, hostname.
cp -a "$here/rootfs/." "$tree/"
cp "$repo/deploy/dev/sane/test.conf" "$tree/etc/sane.d/test.conf"
systemctl --root="$tree" enable virtual-printer.service virtual-printer-queue.service >&2
systemctl --root="$tree" set-default graphical.target >&2
# A fresh machine id at first boot, as an installed image would get.
: > "$tree/etc/machine-id"
rm -f "$tree/var/lib/dbus/machine-id"

cp "$(ls "$tree"/boot/vmlinuz-* | sort -V | tail -1)" "$out/vmlinuz"
cp "$(ls "$tree"/boot/initrd.img-* | sort -V | tail -1)" "$out/initrd.img"
echo "console=ttyS0 root=/dev/vda rw panic=-1" > "$out/cmdline"

# The disk: the tree plus 1 GiB free, ext4, filled from the directory (no loop mount).
size_mb=$(( $(du -sm "$tree" | cut -f1) + 1024 ))
rm -f "$out/disk.raw"
nice mkfs.ext4 -q -F -L kiosk-root -d "$tree" "$out/disk.raw" "${size_mb}M"
phase "disk.raw made (${size_mb} MiB)"
echo "$out"
