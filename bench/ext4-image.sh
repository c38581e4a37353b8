#!/usr/bin/env bash
# A journaled ext4 file system (mkfs.ext4's defaults) in a sparse image file, loop-mounted, for the receivers of
# bench/compare.sh to write to (BENCH_OUT). Needs root, mkfs.ext4 and a free loop device.
#
#   bench/ext4-image.sh mount DIR      creates DIR.img (BENCH_IMAGE_GIB, default 8) and mounts it at DIR
#   bench/ext4-image.sh umount DIR     unmounts DIR and deletes DIR.img
#
# Why: this machine's root file system is ext4 without a journal (/sys/fs/ext4/<device>/journal_task reads <none>),
# and there ext4 skips every recently deleted inode when it allocates one: after the benchmark deletes a run's 1,000
# files, each file created in the next runs costs up to a millisecond, more run after run, for DCMTK and ActorMove
# alike (bench/README.md, sixth round). A journaled ext4, the usual set-up, does not do that.
#
#   bench/ext4-image.sh mount /tmp/ext4j && BENCH_OUT=/tmp/ext4j/bench bench/compare.sh store; bench/ext4-image.sh umount /tmp/ext4j
set -euo pipefail

usage() { echo "usage: $0 mount|umount DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
dir=${2%/}
image=$dir.img

case "$1" in
  mount)
    if mountpoint -q "$dir" 2>/dev/null; then
      echo "$dir is already a mount point" >&2
      exit 1
    fi
    [ "$(id -u)" = 0 ] || { echo "mounting an image needs root" >&2; exit 1; }
    mkdir -p "$dir"
    truncate -s "${BENCH_IMAGE_GIB:-8}G" "$image"
    mkfs.ext4 -q -F "$image"
    if ! mount -o loop "$image" "$dir"; then
      rm -f "$image"
      exit 1
    fi
    echo "journaled ext4 mounted at $dir ($(df -h --output=size "$dir" | tail -n 1 | tr -d ' '), image $image)"
    ;;
  umount)
    if mountpoint -q "$dir" 2>/dev/null; then
      umount "$dir"
    fi
    rm -f "$image"
    rmdir "$dir" 2>/dev/null || true
    ;;
  *) usage ;;
esac
