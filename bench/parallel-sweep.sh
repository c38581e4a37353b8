#!/usr/bin/env bash
# Throughput of actormove against parallelism: one dcmqrscp archive, one manifest of STUDIES studies, moved with
# --parallel 1, 2, 4, 8 and 16 in turn. Prints images/s and MB/s per k, and a Mermaid chart for README.md.
# Usage: bench/parallel-sweep.sh [studies=32] [images-per-study=8] [pixel-bytes=262144]
# The archive runs as DCMTK does by default, with Nagle's algorithm on; ARCHIVE_TCP_NODELAY=1 starts it with
# TCP_NODELAY=1 in its environment instead (DCMTK's fastest mode).
set -euo pipefail
cd "$(dirname "$0")/.."
STUDIES=${1:-32}
IMAGES=${2:-8}
PIXELS=${3:-262144}
WORK=$(mktemp -d /tmp/actormove-sweep-XXXX)
trap 'kill "${QR_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Self-contained composite ReadyToRun, as bench/compare.sh and README's fastest install: the timings include the process start.
dotnet publish src/ActorMove.Cli -c Release -r "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')" --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$WORK/am" -v q -nologo >/dev/null
mkdir -p "$WORK/in" "$WORK/storage" "$WORK/out"
head -c "$PIXELS" /dev/urandom > "$WORK/pixels.raw"
echo "QueryRetrieveLevel,StudyInstanceUID" > "$WORK/manifest.csv"
n=0
for s in $(seq 1 "$STUDIES"); do
  study="2.25.$(python3 -c 'import uuid; print(uuid.uuid4().int)')"
  echo "STUDY,$study" >> "$WORK/manifest.csv"
  for i in $(seq 1 "$IMAGES"); do
    n=$((n + 1))
    cat > "$WORK/d.dump" <<DUMP
(0008,0016) UI [1.2.840.10008.5.1.4.1.1.2]
(0008,0018) UI [2.25.$(python3 -c 'import uuid; print(uuid.uuid4().int)')]
(0008,0060) CS [CT]
(0010,0020) LO [PAT$s]
(0020,000d) UI [$study]
(0020,000e) UI [$study.1]
(0028,0010) US 256
(0028,0011) US $((PIXELS / 512))
(0028,0100) US 16
(7fe0,0010) OW =$WORK/pixels.raw
DUMP
    dump2dcm +te "$WORK/d.dump" "$WORK/in/img$n.dcm"
  done
done

QR_PORT=$(free_port); STORE_PORT=$(free_port)
cat > "$WORK/qr.cfg" <<CFG
NetworkTCPPort  = $QR_PORT
MaxPDUSize      = 131072
MaxAssociations = 64
HostTable BEGIN
dest = (ACTORMOVE, localhost, $STORE_PORT)
HostTable END
VendorTable BEGIN
VendorTable END
AETable BEGIN
ARCHIVE $WORK/storage RW (200, 1024mb) ANY
AETable END
CFG
if [ "${ARCHIVE_TCP_NODELAY:-0}" = 1 ]; then
  TCP_NODELAY=1 dcmqrscp -c "$WORK/qr.cfg" "$QR_PORT" >/dev/null 2>&1 & QR_PID=$!
  ARCHIVE_MODE="dcmqrscp with TCP_NODELAY=1"
else
  dcmqrscp -c "$WORK/qr.cfg" "$QR_PORT" >/dev/null 2>&1 & QR_PID=$!
  ARCHIVE_MODE="dcmqrscp with Nagle's algorithm on (DCMTK's default)"
fi
sleep 1
TCP_NODELAY=1 storescu -aec ARCHIVE +sd +r 127.0.0.1 "$QR_PORT" "$WORK/in" >/dev/null

TOTAL_BYTES=$(du -cb "$WORK"/in/*.dcm | tail -1 | cut -f1)
echo "# $STUDIES studies x $IMAGES images ($((TOTAL_BYTES / 1000000)) MB) from $ARCHIVE_MODE, $(nproc) cores, $(date -u '+%F %H:%M') UTC"
echo "| --parallel | seconds | images/s | MB/s |"
echo "|---|---|---|---|"
CHART_X=""; CHART_Y=""
for k in 1 2 4 8 16; do
  rm -rf "$WORK/out"; mkdir "$WORK/out"
  start=$(date +%s.%N)
  "$WORK/am/actormove" -q -S -aec ARCHIVE -aem ACTORMOVE +P "$STORE_PORT" -pdu 131072 -od "$WORK/out" \
      --manifest "$WORK/manifest.csv" --parallel "$k" 127.0.0.1 "$QR_PORT"
  end=$(date +%s.%N)
  got=$(ls "$WORK/out" | wc -l)
  [ "$got" -eq $((STUDIES * IMAGES)) ] || { echo "k=$k: only $got files" >&2; exit 1; }
  secs=$(python3 -c "print(f'{$end-$start:.2f}')")
  ips=$(python3 -c "print(f'{$got/($end-$start):.0f}')")
  mbs=$(python3 -c "print(f'{$TOTAL_BYTES/1e6/($end-$start):.1f}')")
  echo "| $k | $secs | $ips | $mbs |"
  CHART_X="$CHART_X${CHART_X:+, }\"$k\""; CHART_Y="$CHART_Y${CHART_Y:+, }$ips"
done
echo
echo '```mermaid'
echo 'xychart-beta'
echo '  title "actormove: images/s against --parallel"'
echo "  x-axis [$CHART_X]"
echo '  y-axis "images/s"'
echo "  bar [$CHART_Y]"
echo '```'
