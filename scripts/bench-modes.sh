#!/usr/bin/env bash
# Every mode streams (issue 13): peak RSS and wall time of the batch modes on the same generated
# incidents (JSON Lines, the 50-rule pack of ../shared/bench), all cores: plain apply, the dry
# run (human, which past 200 incidents prints blocks, and JSON), and explain over the first
# tenth and over all of them (human and JSON). Memory must not grow with the input.
#
# With playbooks (issue 13 points 4 and 5): `apply --playbooks examples/playbooks --mocks
# examples/mocks` with the pack and examples/rules (whose rules run the example playbooks),
# `--jobs 1` and `--jobs 2` back to back, REPEAT rounds (medians printed), each leaving one
# history store; then `--history all`, and `runs list` over that history and over one of a run
# per incident (a one-step playbook on every incident): time to the first line, wall time,
# peak RSS.
#
# usage: scripts/bench-modes.sh [-n INCIDENTS] [--repeat R] [--playbooks-only]
#   (default 200000 incidents, 3 rounds; the data is deleted after)
#   BENCH_DATA (default /tmp/sentinel-soar-bench-modes) holds the generated data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=$root/../shared/bench
n=200000
repeat=3
modes=1
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --playbooks-only) modes=0; shift ;;
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
state=$BENCH_DATA/state
trap 'rm -rf "$all" "$tenth" "$state"*' EXIT

echo "machine: $(nproc) cores, commit $(git rev-parse --short HEAD), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$n incidents, $(($(wc -c < "$all") / 1000000)) MB of JSON Lines; explain also on the first $((n / 10))"
measure() {
  local label=$1
  shift
  /usr/bin/time -f "$label: %M KB peak RSS, %e s, exit %x" "$@" > /dev/null 2> "$BENCH_DATA/stderr" || true
  tail -n 1 "$BENCH_DATA/stderr"
}
if [ "$modes" = 1 ]; then
measure "apply" "$bin" apply --rules "$rules" --incidents "$all" --out - --audit /dev/null --now "$now"
measure "apply --dry-run" "$bin" apply --rules "$rules" --incidents "$all" --now "$now" --dry-run
measure "apply --dry-run --format json" "$bin" apply --rules "$rules" --incidents "$all" --now "$now" \
  --dry-run --format json
measure "explain, $((n / 10))" "$bin" explain --rules "$rules" --incident "$tenth" --now "$now"
measure "explain --format json, $((n / 10))" "$bin" explain --rules "$rules" --incident "$tenth" --now "$now" \
  --format json
measure "explain, $n" "$bin" explain --rules "$rules" --incident "$all" --now "$now"
measure "explain --format json, $n" "$bin" explain --rules "$rules" --incident "$all" --now "$now" --format json
fi

# Playbooks. `measure_pb LABEL JOBS STATE [FLAGS...]`: one batch with its own state directory
# (`-`: none); prints peak RSS, wall and CPU time, the closing line's run clause and what the
# state directory holds.
playbooks=(--playbooks examples/playbooks --mocks examples/mocks)
measure_pb() {
  local label=$1 jobs=$2 dir=$3
  shift 3
  local where=(--state-dir "$dir")
  [ "$dir" = - ] && where=()
  rm -rf "$dir"
  /usr/bin/time -f "%M %e %U %S" -o "$BENCH_DATA/time" "$bin" apply --rules "$rules" examples/rules --incidents "$all" \
    --out /dev/null --audit /dev/null --now "$now" "${playbooks[@]}" --jobs "$jobs" "${where[@]}" "$@" \
    > /dev/null 2> "$BENCH_DATA/stderr" || true
  read -r kb secs user sys < "$BENCH_DATA/time"
  local state="nothing"
  [ "$dir" != - ] && [ -d "$dir" ] && state="$(ls "$dir" | tr '\n' ' ')($(du -sh "$dir" | cut -f1))"
  echo "$label: $kb KB peak RSS, $secs s (CPU $user s user + $sys s system), load $(cut -d' ' -f1 /proc/loadavg); state: $state"
  echo "  $(tail -n 1 "$BENCH_DATA/stderr" | sed 's/^[^;]*; //')"
  echo "$secs" >> "$BENCH_DATA/times-$jobs"
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# `list_first LABEL ARGS...`: time to the first line and to the end of `runs list` (lines
# counted), then its peak RSS in a second run.
list_first() {
  local label=$1
  shift
  echo "$label"
  python3 - "$bin" runs list "$@" <<'PY'
import subprocess, sys, time
start = time.monotonic()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
p.stdout.readline()
first = time.monotonic() - start
lines = 1 + sum(1 for _ in p.stdout)
p.wait()
print(f"  first line after {first:.3f} s, {lines} lines in {time.monotonic() - start:.2f} s")
PY
  /usr/bin/time -f "  %M KB peak RSS, %e s" "$bin" runs list "$@" > /dev/null 2> "$BENCH_DATA/stderr" || true
  tail -n 1 "$BENCH_DATA/stderr"
}
echo "apply --playbooks (pack + examples/rules), --jobs 1 and 2 back to back, $repeat rounds"
rm -f "$BENCH_DATA"/times-*
for round in $(seq "$repeat"); do
  measure_pb "round $round, --jobs 1" 1 "$state-1"
  measure_pb "round $round, --jobs 2" 2 "$state-2"
done
j1=$(median "$BENCH_DATA/times-1")
j2=$(median "$BENCH_DATA/times-2")
echo "medians: --jobs 1 $j1 s, --jobs 2 $j2 s, ratio $(echo "scale=3; $j2 / $j1" | bc | xargs printf "%.2f")"
rm -rf "$state-1"
# What the runs cost without a history, and with every run recorded.
measure_pb "--history none, --jobs 2" 2 - --history none
measure_pb "--history all, --jobs 2" 2 "$state-all" --history all
echo "runs list over $(ls "$state-all") (--history all):"
list_first "  human" --state-dir "$state-all"
list_first "  --format json" --state-dir "$state-all" --format json
# A run on every incident: a one-step playbook (a comment), every run recorded.
mkdir -p "$BENCH_DATA/every"
printf 'rules:\n  - name: Comment every incident\n    order: 1\n    actions:\n      - run_playbook: Comment-It\n' \
  > "$BENCH_DATA/every/rules.yaml"
printf 'name: Comment-It\ntrigger: incident\nsteps:\n  - sentinel.add_comment: { message: seen }\n' \
  > "$BENCH_DATA/every/comment.yaml"
rm -rf "$state-every"
/usr/bin/time -f "%M KB peak RSS, %e s" "$bin" apply --rules "$BENCH_DATA/every/rules.yaml" --incidents "$all" \
  --out /dev/null --now "$now" --playbooks "$BENCH_DATA/every/comment.yaml" --state-dir "$state-every" \
  --history all > /dev/null 2> "$BENCH_DATA/stderr" || true
echo "a run per incident, --history all: $(tail -n 1 "$BENCH_DATA/stderr"); $(du -sh "$state-every" | cut -f1)"
echo "  $(tail -n 2 "$BENCH_DATA/stderr" | head -n 1)"
echo "runs list over it:"
list_first "  human" --state-dir "$state-every"
list_first "  --format json" --state-dir "$state-every" --format json
list_first "  --status failed (none)" --state-dir "$state-every" --status failed
rm -rf "$BENCH_DATA/every"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
