#!/bin/bash
# Boots the image build-image.sh made, in QEMU (TCG: no KVM needed), the serial console on this terminal
# (Ctrl+A X quits, Ctrl+A C switches to the QEMU monitor). The screen: a window when $DISPLAY is set, else VNC on
# :1 (localhost:5901). Writes go to a temporary overlay (-snapshot): every boot is a first boot.
#   boot.sh OUTDIR [KERNEL ARGUMENTS...]   e.g. boot.sh build/image/out systemd.mask=france-services-kiosk.service
set -euo pipefail
out=${1:?usage: boot.sh OUTDIR [KERNEL ARGUMENTS...]}
shift
display=(-display vnc=127.0.0.1:1)
[ -n "${DISPLAY:-}" ] && display=(-display gtk)
exec qemu-system-x86_64 -accel tcg -m 2048 -smp 2 "${display[@]}" \
    -vga none -device VGA,edid=on,xres=1280,yres=800 \
    -kernel "$out/vmlinuz" -initrd "$out/initrd.img" -append "$(cat "$out/cmdline") $*" \
    -drive "file=$out/disk.raw,format=raw,if=virtio" -snapshot \
    -serial mon:stdio -nic none \
    -chardev socket,path="$out/qga.sock",server=on,wait=off,id=qga0 \
    -device virtio-serial-pci -device virtserialport,chardev=qga0,name=org.qemu.guest_agent.0
