#!/usr/bin/env bash
# DCMTK and ActorMove side by side, in one run, on 127.0.0.1: the same data, the same options, alternating runs; prints
# each run's figures, the medians and the ratio ActorMove/DCMTK. The machine is shared and noisy: compare, don't clock.
# DCMTK programs run with TCP_NODELAY=1 in their environment (their fastest mode).
#
#   bench/compare.sh store     1,000 × 512 KiB images: storescu → storescp, and storescu → our store SCP (MB/s)
#   bench/compare.sh study     one study of 400 × 512 KiB: movescu vs actormove (C-MOVE from dcmqrscp, wall time)
#   bench/compare.sh studies   40 studies of 4 × 512 KiB: movescu once per study vs actormove (once per study;
#                              --manifest --parallel 8 when the actormove build has it)
#   bench/compare.sh large     one ~900 MiB multi-frame object: peak RSS (and wall time) of movescu vs actormove
#   bench/compare.sh all       the four in turn (about 8–12 minutes on 2 shared cores)
#
# Environment:
#   BENCH_RUNS=n          alternating runs per tool for store/study/studies (default 5, studies 3)
#   BENCH_LARGE_RUNS=n    runs per tool for large (default 2)
#   BENCH_LARGE_MIB=n     pixel data of the large object in MiB (default 900; scaled down when /tmp is short)
#   BENCH_BIN=dir         reuse builds in dir (dir/am/actormove, dir/sb/ActorMove.StoreBench) instead of building
#   BENCH_WORK=dir        work folder (default: a fresh /tmp/actormove-compare.*, deleted at the end)
#   BENCH_KEEP=1          keep the work folder (logs, generated data)
#   BENCH_MAX_SECONDS=n   the whole script is stopped after n seconds (default 1800)
#   BENCH_BIT_PRESERVING=1  store: both receivers write the received bytes as they are (storescp +B, ours --bit-preserving)
#   BENCH_OUT=dir         where the receivers write (default: WORK/out). A tmpfs such as /dev/shm takes the disk out of
#                         the comparison: the runs are then steady, where on this machine's ext4 (no journal) they swing
#                         with its inode allocation after each run's deletions; bench/ext4-image.sh mounts a journaled
#                         ext4 to write to instead (bench/README.md)
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
RUNS_DEFAULT=${BENCH_RUNS:-5}
LARGE_RUNS=${BENCH_LARGE_RUNS:-2}
LARGE_MIB=${BENCH_LARGE_MIB:-900}
MAX_SECONDS=${BENCH_MAX_SECONDS:-1800}
STEP_TIMEOUT=600 # seconds, any single command
PDU=131072
PIXEL_BYTES=524288 # 512 × 512 × 16 bits

if [ -n "${BENCH_WORK:-}" ]; then
  WORK=$BENCH_WORK
  mkdir -p "$WORK"
  OWN_WORK=0
else
  WORK=$(mktemp -d /tmp/actormove-compare.XXXXXX)
  OWN_WORK=1
fi
BIN=${BENCH_BIN:-$WORK/bin}
OUT_ROOT=${BENCH_OUT:-$WORK/out}
ACTORMOVE=$BIN/am/actormove
STOREBENCH=$BIN/sb/ActorMove.StoreBench

SERVER_PIDS=()
WATCHDOG_PID=
cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$WATCHDOG_PID" ]; then
    pkill -P "$WATCHDOG_PID" sleep 2>/dev/null || true # the watchdog's own sleep, by parent pid
    kill "$WATCHDOG_PID" 2>/dev/null || true
  fi
  if [ -n "${BENCH_OUT:-}" ] && [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$OUT_ROOT/storescp" "$OUT_ROOT/storebench" "$OUT_ROOT/movescu" "$OUT_ROOT/actormove"
  fi
  if [ "$OWN_WORK" = 1 ] && [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$WORK"
  else
    echo "work folder kept: $WORK"
  fi
}
trap cleanup EXIT
trap 'echo "stopped (signal or BENCH_MAX_SECONDS=$MAX_SECONDS reached)" >&2; exit 124' TERM INT

# The whole script is bounded: the watchdog sends TERM to this shell, whose trap stops the servers it started.
# Its output goes nowhere, so that a pipe after this script (compare.sh | tee) ends with the script, not with the sleep.
(sleep "$MAX_SECONDS" && kill -TERM $$) >/dev/null 2>&1 &
WATCHDOG_PID=$!

say() { printf '%s\n' "$*"; }

# --- helpers -------------------------------------------------------------------------------------------------------

free_port() {
  # Below the kernel's ephemeral range: a port in it may be the local end of some connection (one in TIME_WAIT after
  # an earlier case, say), and then a program that binds it without SO_REUSEADDR (movescu) fails with "Address already
  # in use" although nothing listens there.
  local port low
  low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  [ "$low" -gt 20100 ] || low=60000
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % (low - 20000)))
    if ! ss -Htan 2>/dev/null | awk '{print $4}' | grep -q ":$port\$"; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

wait_listening() { # port seconds
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1 after $2 s" >&2
  return 1
}

# start_server LOG command... : runs it in the background (bounded by timeout) and remembers its pid for cleanup.
start_server() {
  local log=$1
  shift
  timeout "$MAX_SECONDS" "$@" >"$log" 2>&1 &
  SERVER_PIDS+=("$!")
  LAST_SERVER_PID=$!
}

stop_server() { # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# run LOG command... : runs it bounded; sets ELAPSED (wall seconds) and RSS_KIB (peak resident set of the command).
run() {
  local log=$1 t0 t1
  shift
  t0=$(date +%s%N)
  if ! timeout "$STEP_TIMEOUT" /usr/bin/time -f '%M' -o "$log.rss" "$@" >"$log" 2>&1; then
    echo "FAILED: $* (log: $log)" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  t1=$(date +%s%N)
  ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  RSS_KIB=$(tail -n 1 "$log.rss")
}

median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# cpu_seconds PID: the user and system CPU time the process (all its threads) has used so far. Unlike wall time it
# hardly moves with the machine's load, so it shows what each receiver's work costs even when the runs swing.
CLK_TCK=$(getconf CLK_TCK)
cpu_seconds() { awk -v hz="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz }' "/proc/$1/stat"; }

count_files() { find "$1" -type f ! -name '*.partial' ! -name '*.converted' | wc -l; }

expect_files() { # dir count what
  local n
  n=$(count_files "$1")
  if [ "$n" -ne "$2" ]; then
    echo "FAILED: $3 left $n files in $1, expected $2" >&2
    return 1
  fi
}

fresh_dir() { rm -rf "$1" && mkdir -p "$1"; }

# clear_output DIR : empties a receiver's output folder before a timed run and waits for the file system to write out
# what earlier runs left dirty (sync), outside the timing, so that no run pays for another's writeback. It does not
# remove every order effect: with it, actormove still took 0.5-0.9 s longer on a 400-image move when it ran second in
# a round (ext4's inode allocation after mass deletions; see bench/README.md), so keep the rounds alternating.
clear_output() { fresh_dir "$1" && sync; }

machine() {
  say "== machine: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc $(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
  say "   memory: $(free -h | awk '/^Mem:/ { print $2 " total, " $7 " available" }'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  say "   DCMTK: $(storescu --version 2>/dev/null | head -n 1); $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /')"
}

build() {
  if [ -n "${BENCH_BIN:-}" ] && [ -x "$ACTORMOVE" ] && [ -x "$STOREBENCH" ]; then
    say "== using the builds in $BIN"
    return
  fi
  say "== building actormove and ActorMove.StoreBench (Release, ReadyToRun) into $BIN"
  # actormove as README's "fastest start" install: self-contained, the runtime and ActorMove compiled together ahead of
  # time (composite ReadyToRun), so that each run neither begins with ~0.2 s of JIT nor compiles the generic code that
  # crosses assemblies (DCMTK's tools are native code). The store SCP is built the same way: it is a long-running
  # server whose timed runs follow an untimed warm-up, but framework-dependent, without the composite, it still spent
  # ~0.9 s of JIT re-compiling hot code over its first three runs and ~10 % more CPU per run after them (bench/README.md).
  local rid
  rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"
  (cd "$REPO" && timeout "$STEP_TIMEOUT" dotnet publish src/ActorMove.Cli -c Release -r "$rid" --self-contained true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$BIN/am" -nologo -v q >"$WORK/build-am.log" 2>&1) ||
    { tail -n 30 "$WORK/build-am.log" >&2; return 1; }
  (cd "$REPO" && timeout "$STEP_TIMEOUT" dotnet publish bench/ActorMove.StoreBench -c Release -r "$rid" --self-contained true \
    -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -o "$BIN/sb" -nologo -v q >"$WORK/build-sb.log" 2>&1) ||
    { tail -n 30 "$WORK/build-sb.log" >&2; return 1; }
}

# Random UIDs under 2.25 (a random 64-bit integer each); test data only.
uids() { od -An -N$((8 * $1)) -tu8 -w8 /dev/urandom | awk '{ print "2.25." $1 }'; }

# generate DIR STUDIES IMAGES_PER_STUDY PIXEL_BYTES [FRAMES] [SOP_CLASS] : DICOM files written by dump2dcm (explicit VR
# little endian), rows of 512 columns of 16-bit OW pixel data; the study UIDs in DIR.studies (outside DIR: storescu +sd sends every file in DIR).
generate() {
  local dir=$1 studies=$2 images=$3 bytes=$4 frames=${5:-1} sop_class=${6:-1.2.840.10008.5.1.4.1.1.2}
  if [ -f "$dir.complete" ]; then
    return
  fi
  fresh_dir "$dir"
  local work=$dir/.dump rows=$((bytes / frames / 1024))
  mkdir -p "$work"
  if [ "$bytes" -ge $((64 * 1024 * 1024)) ]; then
    head -c "$bytes" /dev/zero >"$work/pixels.raw" # content is irrelevant here; urandom would only cost time
  else
    head -c "$bytes" /dev/urandom >"$work/pixels.raw"
  fi
  local -a study_uids sop_uids
  mapfile -t study_uids < <(uids "$studies")
  mapfile -t sop_uids < <(uids $((studies * images)))
  printf '%s\n' "${study_uids[@]}" >"$dir.studies"
  local s i n=0 series frames_line=""
  if [ "$frames" -gt 1 ]; then
    frames_line="(0028,0008) IS [$frames]"
  fi
  for ((s = 0; s < studies; s++)); do
    series=$(uids 1)
    for ((i = 0; i < images; i++)); do
      cat >"$work/$n.dump" <<EOF
(0008,0016) UI [$sop_class]
(0008,0018) UI [${sop_uids[$n]}]
(0008,0020) DA [20260101]
(0008,0060) CS [CT]
(0010,0010) PN [Bench^Patient]
(0010,0020) LO [BENCH]
(0020,000d) UI [${study_uids[$s]}]
(0020,000e) UI [$series]
(0020,0010) SH [S$s]
(0020,0011) IS [1]
(0020,0013) IS [$((i + 1))]
(0028,0002) US 1
(0028,0004) CS [MONOCHROME2]
$frames_line
(0028,0010) US $rows
(0028,0011) US 512
(0028,0100) US 16
(0028,0101) US 16
(0028,0102) US 15
(0028,0103) US 0
(7fe0,0010) OW =$work/pixels.raw
EOF
      printf '%s\n%s\n' "$work/$n.dump" "$dir/img$(printf '%05d' "$n").dcm"
      n=$((n + 1))
    done
  done | timeout "$STEP_TIMEOUT" xargs -d '\n' -n 2 -P 2 dump2dcm +te >"$dir.dump2dcm.log" 2>&1 ||
    { echo "dump2dcm failed:" >&2; tail -n 20 "$dir.dump2dcm.log" >&2; return 1; }
  rm -rf "$work"
  touch "$dir.complete"
}

data_bytes() { find "$1" -name 'img*.dcm' -printf '%s\n' | awk '{ s += $1 } END { print s }'; }

# start_archive DIR MOVESCU_PORT ACTORMOVE_PORT : dcmqrscp (fork mode, as in src/ActorMove.Testing/Dcmtk/DcmqrscpArchive.cs)
# knowing the move destinations MOVESCU and ACTORMOVE; sets ARCHIVE_PORT.
start_archive() {
  local dir=$1
  fresh_dir "$dir/storage"
  ARCHIVE_PORT=$(free_port)
  cat >"$dir/dcmqrscp.cfg" <<EOF
NetworkTCPPort  = $ARCHIVE_PORT
MaxPDUSize      = $PDU
MaxAssociations = 64
HostTable BEGIN
movescu   = (MOVESCU, localhost, $2)
actormove = (ACTORMOVE, localhost, $3)
HostTable END
VendorTable BEGIN
VendorTable END
AETable BEGIN
ARCHIVE $dir/storage RW (200, 1024mb) ANY
AETable END
EOF
  # every path in the configuration is absolute: dcmqrscp does not depend on the current folder
  start_server "$dir/dcmqrscp.log" env TCP_NODELAY=1 dcmqrscp -c "$dir/dcmqrscp.cfg" "$ARCHIVE_PORT"
  ARCHIVE_PID=$LAST_SERVER_PID
  wait_listening "$ARCHIVE_PORT" 20
}

load_archive() { # data dir
  run "$WORK/load-$(basename "$1").log" env TCP_NODELAY=1 storescu -pdu $PDU -aec ARCHIVE +sd +r 127.0.0.1 "$ARCHIVE_PORT" "$1"
  say "   loaded $(basename "$1") into dcmqrscp in $ELAPSED s"
}

# --- 1. store SCP throughput -----------------------------------------------------------------------------------------

case_store() {
  local runs=$RUNS_DEFAULT data=$WORK/data/store1000
  local -a bit_d=() bit_a=()
  if [ -n "${BENCH_BIT_PRESERVING:-}" ]; then
    bit_d=(+B)
    bit_a=(--bit-preserving)
  fi
  say "== store: 1,000 images of 512 KiB, storescu (TCP_NODELAY=1, -pdu $PDU, one association) → storescp ${bit_d[*]} / our store SCP ${bit_a[*]}; $runs alternating runs"
  generate "$data" 1 1000 $PIXEL_BYTES
  local bytes
  bytes=$(data_bytes "$data")
  say "   data: $(find "$data" -name 'img*.dcm' | wc -l) files, $bytes bytes"

  local port_d port_a out_d=$OUT_ROOT/storescp out_a=$OUT_ROOT/storebench
  fresh_dir "$out_d"
  fresh_dir "$out_a"
  port_d=$(free_port)
  start_server "$WORK/storescp.log" env TCP_NODELAY=1 storescp "${bit_d[@]}" -od "$out_d" -pdu $PDU "$port_d"
  local pid_d=$LAST_SERVER_PID
  port_a=$(free_port)
  start_server "$WORK/storebench.log" "$STOREBENCH" --port "$port_a" --od "$out_a" --pdu $PDU "${bit_a[@]}" --max-seconds "$MAX_SECONDS"
  local pid_a=$LAST_SERVER_PID
  wait_listening "$port_d" 20
  wait_listening "$port_a" 30
  # The receivers themselves (start_server's pid is their timeout wrapper), for their CPU time.
  local rpid_d rpid_a
  rpid_d=$(pgrep -P "$pid_d" -n)
  rpid_a=$(pgrep -P "$pid_a" -n)

  # Both receivers are long-running servers: one untimed warm-up run each (for ours, the runtime's tiered JIT settles
  # over the first few thousand objects), then the timed, alternating runs.
  clear_output "$out_d"
  run "$WORK/store-dcmtk-warmup.log" env TCP_NODELAY=1 storescu -pdu $PDU -aec STORESCP +sd 127.0.0.1 "$port_d" "$data"
  local warm_d=$ELAPSED
  clear_output "$out_a"
  run "$WORK/store-ours-warmup.log" env TCP_NODELAY=1 storescu -pdu $PDU -aec ACTORMOVE +sd 127.0.0.1 "$port_a" "$data"
  say "   warm-up: storescp $warm_d s, ours $ELAPSED s (not counted)"

  local -a t_d t_a c_d c_a
  local r who c0
  for ((r = 1; r <= runs; r++)); do
    for who in $([ $((r % 2)) = 1 ] && echo "dcmtk ours" || echo "ours dcmtk"); do
      if [ "$who" = dcmtk ]; then
        clear_output "$out_d"
        c0=$(cpu_seconds "$rpid_d")
        run "$WORK/store-dcmtk-$r.log" env TCP_NODELAY=1 storescu -pdu $PDU -aec STORESCP +sd 127.0.0.1 "$port_d" "$data"
        c_d+=("$(awk -v a="$c0" -v b="$(cpu_seconds "$rpid_d")" 'BEGIN { printf "%.3f", b - a }')")
        expect_files "$out_d" 1000 storescp
        t_d+=("$ELAPSED")
      else
        clear_output "$out_a"
        c0=$(cpu_seconds "$rpid_a")
        run "$WORK/store-ours-$r.log" env TCP_NODELAY=1 storescu -pdu $PDU -aec ACTORMOVE +sd 127.0.0.1 "$port_a" "$data"
        c_a+=("$(awk -v a="$c0" -v b="$(cpu_seconds "$rpid_a")" 'BEGIN { printf "%.3f", b - a }')")
        expect_files "$out_a" 1000 "our store SCP"
        t_a+=("$ELAPSED")
      fi
    done
    say "   run $r: storescp $(awk -v b="$bytes" -v t="${t_d[-1]}" 'BEGIN { printf "%.3f s = %.0f MB/s", t, b / t / 1e6 }') (CPU ${c_d[-1]} s), ours $(awk -v b="$bytes" -v t="${t_a[-1]}" 'BEGIN { printf "%.3f s = %.0f MB/s", t, b / t / 1e6 }') (CPU ${c_a[-1]} s)"
  done
  local hwm_d hwm_a
  hwm_d=$(awk '/VmHWM/ { print $2 }' "/proc/$(pgrep -P "$pid_d" -n)/status" 2>/dev/null || echo "?")
  hwm_a=$(awk '/VmHWM/ { print $2 }' "/proc/$(pgrep -P "$pid_a" -n)/status" 2>/dev/null || echo "?")
  stop_server "$pid_d"
  stop_server "$pid_a"

  local m_d m_a
  m_d=$(median "${t_d[@]}")
  m_a=$(median "${t_a[@]}")
  say "   median: storescp $m_d s = $(awk -v b="$bytes" -v t="$m_d" 'BEGIN { printf "%.0f", b / t / 1e6 }') MB/s; ours $m_a s = $(awk -v b="$bytes" -v t="$m_a" 'BEGIN { printf "%.0f", b / t / 1e6 }') MB/s"
  say "   ratio ours/storescp (throughput, goal >= 1): $(ratio "$m_d" "$m_a")"
  # A round's two runs are seconds apart, where each median spans minutes of the machine's drifting load.
  local -a pair_ratios=()
  local ahead=0
  for ((r = 0; r < runs; r++)); do
    pair_ratios+=("$(ratio "${t_d[r]}" "${t_a[r]}")")
    if awk -v d="${t_d[r]}" -v a="${t_a[r]}" 'BEGIN { exit !(a <= d) }'; then
      ahead=$((ahead + 1))
    fi
  done
  say "   ratio per round: ${pair_ratios[*]}; their median $(median "${pair_ratios[@]}" | awk '{ printf "%.2f", $1 }'); ours at least as fast in $ahead of $runs rounds"
  say "   receiver CPU per run (user + system, median): storescp $(median "${c_d[@]}") s, ours $(median "${c_a[@]}") s"
  say "   receiver peak RSS over all runs: storescp ${hwm_d} KiB, ours ${hwm_a} KiB"
  # What our receiver's runtime spent over all runs, warm-up included (it prints this when it stops).
  grep -E '^(gc|jit): ' "$WORK/storebench.log" | sed 's/^/   ours, runtime: /' || true
}

# --- 2. one study of 400 images --------------------------------------------------------------------------------------

move_movescu() { # log study out port
  run "$1" env TCP_NODELAY=1 movescu -S -aec ARCHIVE -aet MOVESCU -aem MOVESCU +P "$4" -od "$3" -pdu $PDU \
    -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$2" 127.0.0.1 "$ARCHIVE_PORT"
}

move_actormove() { # log study out port
  run "$1" "$ACTORMOVE" -S -aec ARCHIVE -aet MOVESCU -aem ACTORMOVE +P "$4" -od "$3" -pdu $PDU \
    -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$2" 127.0.0.1 "$ARCHIVE_PORT"
}

# alternate_moves NAME RUNS STUDY FILES PORT_M PORT_A OUT_M OUT_A REPORT : RUNS rounds of one study move by movescu and
# one by actormove, movescu first in odd rounds and actormove first in even ones, so that neither always runs on a warm
# (or cold) archive. Each move must leave FILES files in its empty output folder. Fills T_MOVESCU, T_ACTORMOVE (wall
# seconds) and RSS_MOVESCU, RSS_ACTORMOVE (peak KiB), one entry per round, and calls REPORT with the round number after
# each round. Logs: $WORK/NAME-movescu-r.log and $WORK/NAME-actormove-r.log.
alternate_moves() {
  local name=$1 runs=$2 study=$3 files=$4 port_m=$5 port_a=$6 out_m=$7 out_a=$8 report=$9
  T_MOVESCU=()
  T_ACTORMOVE=()
  RSS_MOVESCU=()
  RSS_ACTORMOVE=()
  local r who
  for ((r = 1; r <= runs; r++)); do
    for who in $([ $((r % 2)) = 1 ] && echo "movescu actormove" || echo "actormove movescu"); do
      if [ "$who" = movescu ]; then
        clear_output "$out_m"
        move_movescu "$WORK/$name-movescu-$r.log" "$study" "$out_m" "$port_m"
        expect_files "$out_m" "$files" movescu
        T_MOVESCU+=("$ELAPSED")
        RSS_MOVESCU+=("$RSS_KIB")
      else
        clear_output "$out_a"
        move_actormove "$WORK/$name-actormove-$r.log" "$study" "$out_a" "$port_a"
        expect_files "$out_a" "$files" actormove
        T_ACTORMOVE+=("$ELAPSED")
        RSS_ACTORMOVE+=("$RSS_KIB")
      fi
    done
    "$report" "$r"
  done
}

report_study_run() { # round
  say "   run $1: movescu ${T_MOVESCU[-1]} s (peak RSS ${RSS_MOVESCU[-1]} KiB), actormove ${T_ACTORMOVE[-1]} s (peak RSS ${RSS_ACTORMOVE[-1]} KiB)"
}

case_study() {
  local runs=$RUNS_DEFAULT data=$WORK/data/study400
  say "== study: one study of 400 × 512 KiB from dcmqrscp, movescu (TCP_NODELAY=1) vs actormove, -S -pdu $PDU; $runs alternating runs"
  generate "$data" 1 400 $PIXEL_BYTES
  local port_m port_a study out_m=$OUT_ROOT/movescu out_a=$OUT_ROOT/actormove
  port_m=$(free_port)
  port_a=$(free_port)
  start_archive "$WORK/archive-study" "$port_m" "$port_a"
  load_archive "$data"
  study=$(head -n 1 "$data.studies")

  alternate_moves study "$runs" "$study" 400 "$port_m" "$port_a" "$out_m" "$out_a" report_study_run
  stop_server "$ARCHIVE_PID"
  local m_m m_a
  m_m=$(median "${T_MOVESCU[@]}")
  m_a=$(median "${T_ACTORMOVE[@]}")
  say "   median: movescu $m_m s, actormove $m_a s"
  say "   ratio actormove/movescu (wall time, goal <= 0.6): $(ratio "$m_a" "$m_m")"
}

# --- 3. 40 studies of 4 images ---------------------------------------------------------------------------------------

has_parallel() {
  local help
  help=$("$ACTORMOVE" --help 2>&1 || true)
  grep -q -- '--parallel' <<<"$help" && grep -q -- '--manifest' <<<"$help"
}

# move_each_study MOVER STUDIES_FILE OUT PORT : one process per study, in sequence (MOVER is move_movescu or
# move_actormove; its log is $WORK/studies-MOVER.log, overwritten per study), into an emptied OUT; sets ELAPSED.
move_each_study() {
  local mover=$1 studies=$2 out=$3 port=$4 study t0 t1
  clear_output "$out"
  t0=$(date +%s%N)
  while read -r study; do
    "$mover" "$WORK/studies-${mover#move_}.log" "$study" "$out" "$port"
  done <"$studies"
  t1=$(date +%s%N)
  ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}

case_studies() {
  local runs=${BENCH_RUNS:-3} data=$WORK/data/studies40
  say "== studies: 40 studies of 4 × 512 KiB from dcmqrscp, one C-MOVE per study; $runs alternating runs"
  generate "$data" 40 4 $PIXEL_BYTES
  local port_m port_a out_m=$OUT_ROOT/movescu out_a=$OUT_ROOT/actormove manifest=$WORK/studies40.csv
  port_m=$(free_port)
  port_a=$(free_port)
  start_archive "$WORK/archive-studies" "$port_m" "$port_a"
  load_archive "$data"
  { echo "StudyInstanceUID"; cat "$data.studies"; } >"$manifest"
  local parallel=0
  if has_parallel; then parallel=1; fi

  local -a t_m t_a t_p
  local r who
  for ((r = 1; r <= runs; r++)); do
    for who in $([ $((r % 2)) = 1 ] && echo "movescu actormove parallel" || echo "parallel actormove movescu"); do
      case $who in
        movescu)
          move_each_study move_movescu "$data.studies" "$out_m" "$port_m"
          expect_files "$out_m" 160 "movescu (40 runs)"
          t_m+=("$ELAPSED")
          ;;
        actormove)
          move_each_study move_actormove "$data.studies" "$out_a" "$port_a"
          expect_files "$out_a" 160 "actormove (40 runs)"
          t_a+=("$ELAPSED")
          ;;
        parallel)
          [ "$parallel" = 1 ] || continue
          clear_output "$out_a"
          run "$WORK/studies-parallel-$r.log" "$ACTORMOVE" -S -aec ARCHIVE -aet MOVESCU -aem ACTORMOVE +P "$port_a" -od "$out_a" -pdu $PDU \
            -k QueryRetrieveLevel=STUDY --manifest "$manifest" --parallel 8 127.0.0.1 "$ARCHIVE_PORT"
          expect_files "$out_a" 160 "actormove --parallel 8"
          t_p+=("$ELAPSED")
          ;;
      esac
    done
    say "   run $r: movescu × 40 ${t_m[-1]} s, actormove × 40 ${t_a[-1]} s$([ "$parallel" = 1 ] && echo ", actormove --manifest --parallel 8 ${t_p[-1]} s")"
  done
  stop_server "$ARCHIVE_PID"
  local m_m m_a m_p
  m_m=$(median "${t_m[@]}")
  m_a=$(median "${t_a[@]}")
  say "   median: movescu × 40 $m_m s, actormove × 40 $m_a s"
  say "   ratio actormove/movescu, one process per study each: $(ratio "$m_a" "$m_m")"
  if [ "$parallel" = 1 ]; then
    m_p=$(median "${t_p[@]}")
    say "   median: actormove --manifest --parallel 8: $m_p s"
    say "   ratio actormove --parallel 8 / movescu × 40: $(ratio "$m_p" "$m_m")"
  else
    say "   actormove --manifest --parallel 8: pending --parallel (this actormove build has no --manifest/--parallel);"
    say "   bench/compare.sh studies runs it as soon as it has: actormove -S -aec ARCHIVE -aet MOVESCU -aem ACTORMOVE +P <port>"
    say "     -od <dir> -pdu $PDU -k QueryRetrieveLevel=STUDY --manifest studies.csv --parallel 8 127.0.0.1 <archive port>"
  fi
}

# --- 4. one large multi-frame object ---------------------------------------------------------------------------------

report_large_run() { # round
  say "   run $1: movescu peak RSS $((RSS_MOVESCU[-1] / 1024)) MiB in ${T_MOVESCU[-1]} s, actormove peak RSS $((RSS_ACTORMOVE[-1] / 1024)) MiB in ${T_ACTORMOVE[-1]} s"
}

case_large() {
  local mib=$LARGE_MIB avail_mib
  avail_mib=$(df -Pm "$WORK" | awk 'NR == 2 { print $4 }')
  # source file, dcmqrscp's copy, two received copies, and a margin
  if [ $((mib * 5)) -gt "$avail_mib" ]; then
    mib=$((avail_mib / 5 / 2 * 2))
    say "   (only $avail_mib MiB free under $WORK: scaled the object down to $mib MiB)"
  fi
  local frames=$((mib * 2)) bytes=$((mib * 1024 * 1024)) data=$WORK/data/large$mib runs=$LARGE_RUNS
  say "== large: one multi-frame object, $frames frames of 512 × 512 × 16 bits = $mib MiB pixel data; movescu vs actormove, $runs runs each"
  generate "$data" 1 1 "$bytes" "$frames" 1.2.840.10008.5.1.4.1.1.7.3
  say "   data: $(data_bytes "$data") bytes"
  local port_m port_a study out_m=$OUT_ROOT/movescu out_a=$OUT_ROOT/actormove
  port_m=$(free_port)
  port_a=$(free_port)
  start_archive "$WORK/archive-large" "$port_m" "$port_a"
  load_archive "$data"
  study=$(head -n 1 "$data.studies")

  alternate_moves large "$runs" "$study" 1 "$port_m" "$port_a" "$out_m" "$out_a" report_large_run
  rm -rf "$out_m" "$out_a"
  stop_server "$ARCHIVE_PID"
  local rm_m rm_a
  rm_m=$(median "${RSS_MOVESCU[@]}")
  rm_a=$(median "${RSS_ACTORMOVE[@]}")
  say "   median peak RSS: movescu $(awk -v k="$rm_m" 'BEGIN { printf "%.0f", k / 1024 }') MiB, actormove $(awk -v k="$rm_a" 'BEGIN { printf "%.0f", k / 1024 }') MiB (goal <= 256 MiB)"
  say "   ratio actormove/movescu (peak RSS): $(ratio "$rm_a" "$rm_m"); wall time: movescu $(median "${T_MOVESCU[@]}") s, actormove $(median "${T_ACTORMOVE[@]}") s"
}

# --- main ------------------------------------------------------------------------------------------------------------

command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }
for program in storescu storescp movescu dcmqrscp dump2dcm; do
  command -v "$program" >/dev/null || { echo "needs DCMTK's $program" >&2; exit 2; }
done

what=${1:-all}
case $what in
  store | study | studies | large | all) ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

machine
build
case $what in
  store) case_store ;;
  study) case_study ;;
  studies) case_studies ;;
  large) case_large ;;
  all)
    case_store
    case_study
    case_studies
    case_large
    ;;
esac
say "== done: $(date -u '+%H:%M:%S UTC'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
