#!/usr/bin/env bash
# Runs the DICOM data layer benchmarks (Release, short job) after printing what the figures depend on: the machine and
# its load. Arguments go to BenchmarkDotNet; without any, every benchmark runs (--filter '*').
#   bench/run.sh                          everything, about 6 minutes on 2 cores
#   bench/run.sh --filter '*Parse*'       a subset
#   bench/run.sh --filter '*' --job medium   more iterations than the default short job
# Results: BenchmarkDotNet.Artifacts/results/ (markdown, csv, html) in the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -eq 0 ]; then
  set -- --filter '*'
fi

echo "== machine ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "nproc: $(nproc)"
lscpu | head -n 20
free -h
echo "dotnet: $(dotnet --version)"
echo "load: $(uptime)"
echo "== benchmarks"
dotnet run -c Release --project bench/ActorMove.Benchmarks -- "$@"
echo "== load after the run: $(uptime)"
