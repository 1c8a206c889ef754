#!/usr/bin/env bash
# Every mode streams (issue 13): peak RSS and wall time of the batch modes on the same generated
# incidents (JSON Lines, the 50-rule pack of ../shared/bench), all cores: plain apply, the dry
# run (human, which past 200 incidents prints blocks, and JSON), and explain over the first
# tenth and over all of them (human and JSON). Memory must not grow with the input.
#
# usage: scripts/bench-modes.sh [-n INCIDENTS]      (default 200000; the data is deleted after)
#   BENCH_DATA (default /tmp/sentinel-soar-bench-modes) holds the generated data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench
n=200000
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
export BENCH_DATA=${BENCH_DATA:-/tmp/sentinel-soar-bench-modes}
mkdir -p "$BENCH_DATA"

cd "$root"
cargo build --release --locked -q
bin=${CARGO_TARGET_DIR:-$root/target}/release/sentinel-soar
now=2026-06-01T00:00:00Z
python3 "$peers/translate.py" "$BENCH_DATA/pack" > /dev/null
rules=$BENCH_DATA/pack/rules.yaml
all=$BENCH_DATA/incidents.jsonl
tenth=$BENCH_DATA/incidents-tenth.jsonl
python3 "$peers/gen_incidents.py" "$n" > "$all"
head -n $((n / 10)) "$all" > "$tenth"
trap 'rm -f "$all" "$tenth"' EXIT

echo "machine: $(nproc) cores, commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$n incidents, $(($(wc -c < "$all") / 1000000)) MB of JSON Lines; explain also on the first $((n / 10))"
measure() {
  local label=$1
  shift
  /usr/bin/time -f "$label: %M KB peak RSS, %e s, exit %x" "$@" > /dev/null 2> "$BENCH_DATA/stderr" || true
  tail -n 1 "$BENCH_DATA/stderr"
}
measure "apply" "$bin" apply --rules "$rules" --incidents "$all" --out - --audit /dev/null --now "$now"
measure "apply --dry-run" "$bin" apply --rules "$rules" --incidents "$all" --now "$now" --dry-run
measure "apply --dry-run --format json" "$bin" apply --rules "$rules" --incidents "$all" --now "$now" \
  --dry-run --format json
measure "explain, $((n / 10))" "$bin" explain --rules "$rules" --incident "$tenth" --now "$now"
measure "explain --format json, $((n / 10))" "$bin" explain --rules "$rules" --incident "$tenth" --now "$now" \
  --format json
measure "explain, $n" "$bin" explain --rules "$rules" --incident "$all" --now "$now"
measure "explain --format json, $n" "$bin" explain --rules "$rules" --incident "$all" --now "$now" --format json
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
