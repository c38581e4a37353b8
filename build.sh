#!/usr/bin/env bash
# ActorMove build entry point.
#   ./build.sh test    install DCMTK when missing, run every test project, print "N passed, N failed"
#   ./build.sh build   build the solution (Release)
#   ./build.sh bench   see bench/README.md
set -euo pipefail
cd "$(dirname "$0")"

ensure_reference_tools() {
  # tcpd brings tcpdmatch, the reference the host access control tests compare with.
  if command -v movescu >/dev/null 2>&1 && command -v dcmqrscp >/dev/null 2>&1 && command -v tcpdmatch >/dev/null 2>&1; then
    return
  fi
  echo "DCMTK or tcpd not found: installing them with apt-get" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dcmtk tcpd >/dev/null
}

summarise_trx() {
  # Sums the counters of every TRX file the run wrote, so a run that executed nothing shows 0 passed.
  python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find(".//{*}ResultSummary/{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
}

cmd="${1:-test}"
case "$cmd" in
  build)
    dotnet build ActorMove.sln -c Release
    ;;
  test)
    ensure_reference_tools
    results="$(pwd)/TestResults"
    rm -rf "$results"
    dotnet build ActorMove.sln -c Release
    status=0
    dotnet test ActorMove.sln -c Release --no-build --logger "trx" --results-directory "$results" || status=$?
    summarise_trx "$results"
    exit $status
    ;;
  *)
    echo "usage: ./build.sh [build|test]" >&2
    exit 1
    ;;
esac
