#!/usr/bin/env bash
# The performance table of docs/batch.md in one command: builds the release binary, then times it
# against the peers of ../shared/bench/run_peers.sh (cat, the serde round trip, Python, jaq, jq)
# on the same generated incidents, three times: 50 rules with --jobs 1, 50 rules with --jobs 2,
# and 500 rules (the 50-rule pack with each rule repeated ten times under new names, each copy
# ordered right after its rule, so the results still agree with the Python peer) with --jobs 1.
# Then, with --paired K (default 9; 0 leaves it out), it runs the round trip, --jobs 1, --jobs 2
# and 500 rules one after the other, K rounds (each starting one command later), and gives the
# median of the rounds' ratios: on a shared VM whose speed drifts by 15% from minute to minute,
# ratios of runs made seconds apart are steadier than ratios of medians taken minutes apart (the
# three tables above). Each round also runs two --jobs 1 processes at once, each on one half of
# the input, and two round trips the same way: work that shares nothing, so their ratio to one
# run on the whole is what the two cores give two workers here at best, the ceiling of --jobs 2
# vs --jobs 1. Where taskset is found, each round also runs the round trip and --jobs 1 on one
# core (taskset -c 0): --jobs 1 runs its reader and writer on threads of their own, so unpinned it
# uses a little more than one core, while the round trip is one thread; pinned, both get one core.
# With --rss, it also measures peak RSS on a generated top-level JSON array of about 1 GB
# (deleted afterwards) with --jobs 1 and --jobs 2.
#
# With --no-tables, only the paired rounds (and --rss) run, on the input and round trip an earlier
# run left in BENCH_DATA and BENCH_PEERS.
#
# usage: scripts/bench.sh [-n INCIDENTS] [-r RUNS] [--paired K] [--no-tables] [--skip-jq] [--rss]
#   BENCH_DATA (default /tmp/sentinel-soar-bench-script) holds the generated data.
#   BENCH_PEERS (default ../shared/bench) is the peer benchmark's directory: point it at a
#   writable copy when ../shared is read-only (run_peers.sh builds the round trip in it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${BENCH_PEERS:-$root/../shared/bench}
n=100000 runs=3 rss=0 paired=9 tables=1 peer_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) n=$2; shift 2 ;;
    -r) runs=$2; shift 2 ;;
    --paired) paired=$2; shift 2 ;;
    --skip-jq) peer_args+=(--skip-jq); shift ;;
    --rss) rss=1; shift ;;
    --no-tables) tables=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
export BENCH_DATA=${BENCH_DATA:-/tmp/sentinel-soar-bench-script}
mkdir -p "$BENCH_DATA"

cd "$root"
cargo build --release --locked -q
bin=${CARGO_TARGET_DIR:-$root/target}/release/sentinel-soar
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
now=2026-06-01T00:00:00Z
tool="$bin apply --rules {rules} --incidents {input} --out - --audit /dev/null --now $now"

# The 500-rule pack from the 50-rule one: copy k of the rule ordered i is NAME~k, order (i-1)*10+k+1.
python3 "$peers/translate.py" "$BENCH_DATA/pack" > /dev/null
python3 - "$BENCH_DATA/pack/rules.yaml" "$BENCH_DATA/rules-500.yaml" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
head, body = text.split("  - name: ", 1)
blocks = ["  - name: " + b for b in body.split("\n  - name: ")]
out = [head]
for block in blocks:
    block = block.rstrip("\n") + "\n"
    order = int(re.search(r"^    order: (\d+)$", block, re.M).group(1))
    for k in range(10):
        b = re.sub(r"^  - name: (.*)$", lambda m: f"  - name: {m.group(1)}~{k}", block, count=1, flags=re.M)
        b = re.sub(r"^    order: \d+$", f"    order: {(order - 1) * 10 + k + 1}", b, count=1, flags=re.M)
        out.append(b)
open(sys.argv[2], "w").write("".join(out))
EOF

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$tables" = 1 ]; then
echo; echo "== 50 rules, --jobs 1"
"$peers/run_peers.sh" -n "$n" -r "$runs" "${peer_args[@]}" --tool "$tool --jobs 1"
echo; echo "== 50 rules, --jobs 2"
"$peers/run_peers.sh" -n "$n" -r "$runs" "${peer_args[@]}" --tool "$tool --jobs 2"
echo; echo "== 500 rules, --jobs 1"
"$peers/run_peers.sh" -n "$n" -r "$runs" "${peer_args[@]}" \
  --tool "${tool//\{rules\}/$BENCH_DATA/rules-500.yaml} --jobs 1"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if [ "$paired" -gt 0 ]; then
  # The files run_peers.sh made: its input and its round-trip binary.
  input=$BENCH_DATA/incidents-$n.jsonl
  roundtrip=$peers/roundtrip/target/release/roundtrip
  for needed in "$input" "$roundtrip"; do
    [ -e "$needed" ] || { echo "$needed is missing: run once without --no-tables" >&2; exit 2; }
  done
  one=${tool//\{rules\}/$BENCH_DATA/pack/rules.yaml}
  one=${one//\{input\}/$input}
  five=${tool//\{rules\}/$BENCH_DATA/rules-500.yaml}
  five=${five//\{input\}/$input}
  # The input's two halves, for the runs that share nothing.
  half=$(( $(wc -l < "$input") / 2 ))
  head -n "$half" "$input" > "$BENCH_DATA/half-1.jsonl"
  tail -n +"$(( half + 1 ))" "$input" > "$BENCH_DATA/half-2.jsonl"
  halves=${tool//\{rules\}/$BENCH_DATA/pack/rules.yaml}
  halves="${halves//\{input\}/$BENCH_DATA/half-1.jsonl} --jobs 1 & ${halves//\{input\}/$BENCH_DATA/half-2.jsonl} --jobs 1 & wait"
  rt_halves="$roundtrip < '$BENCH_DATA/half-1.jsonl' & $roundtrip < '$BENCH_DATA/half-2.jsonl' & wait"
  echo; echo "== paired: round trip, --jobs 1, --jobs 2, 500 rules, the halves at once (and on one core, where taskset is found), one after the other, $paired rounds"
  : > "$BENCH_DATA/paired.txt"
  cmds=("exec $roundtrip < '$input'" "exec $one --jobs 1" "exec $one --jobs 2" "exec $five --jobs 1" "$halves"
    "$rt_halves")
  if command -v taskset > /dev/null; then
    cmds+=("exec taskset -c 0 $roundtrip < '$input'" "exec taskset -c 0 $one --jobs 1")
  fi
  for round in $(seq "$paired"); do
    # Each round starts one command later, so that no command always follows the same one.
    times=()
    for k in "${!cmds[@]}"; do
      i=$(( (k + round) % ${#cmds[@]} ))
      /usr/bin/time -f "%e" -o "$BENCH_DATA/time.txt" sh -c "${cmds[$i]}" > /dev/null 2>&1
      times[$i]=$(cat "$BENCH_DATA/time.txt")
    done
    echo "${times[*]}" >> "$BENCH_DATA/paired.txt"
  done
  python3 - "$BENCH_DATA/paired.txt" <<'PAIRED'
import statistics, sys
rows = [[float(x) for x in line.split()] for line in open(sys.argv[1]) if line.strip()]
medians = [statistics.median(col) for col in zip(*rows)]
rt, j1, j2, five, halves, rt_halves = medians[:6]
print(f"median wall s: round trip {rt:.2f}, --jobs 1 {j1:.2f}, --jobs 2 {j2:.2f}, 500 rules {five:.2f}, "
      f"two --jobs 1 on the halves at once {halves:.2f}, two round trips on the halves at once {rt_halves:.2f} "
      f"({len(rows)} rounds)")
def ratio(name, f):
    values = sorted(f(r) for r in rows)
    print(f"{name + ':':<41} {statistics.median(values):.2f}x (median of the rounds' ratios; {values[0]:.2f}-{values[-1]:.2f})")
ratio("--jobs 1 vs round trip", lambda r: r[0] / r[1])
ratio("--jobs 2 vs --jobs 1", lambda r: r[1] / r[2])
ratio("500 rules vs 50, time", lambda r: r[3] / r[1])
ratio("ceiling: --jobs 1 vs its halves at once", lambda r: r[1] / r[4])
ratio("ceiling: round trip vs its halves", lambda r: r[0] / r[5])
ratio("--jobs 2 vs the halves at once, speed", lambda r: r[4] / r[2])
if len(medians) == 8:
    print(f"one core (taskset -c 0), median wall s: round trip {medians[6]:.2f}, --jobs 1 {medians[7]:.2f}")
    ratio("one core: --jobs 1 vs round trip", lambda r: r[6] / r[7])
    ratio("--jobs 2 vs --jobs 1 on one core", lambda r: r[7] / r[2])
PAIRED
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi

if [ "$rss" = 1 ]; then
  # About 1 GB: the generator's incidents average 3.8 KB.
  big=$BENCH_DATA/incidents-1gb.json
  python3 "$peers/gen_incidents.py" 265000 --format array > "$big"
  echo; echo "== peak RSS, one top-level JSON array of $(($(wc -c < "$big") / 1000000)) MB, 50 rules"
  for jobs in 1 2; do
    /usr/bin/time -f "--jobs $jobs: %M KB peak RSS, %e s" \
      "$bin" apply --rules "$BENCH_DATA/pack/rules.yaml" --incidents "$big" --out - --audit /dev/null \
      --now "$now" --jobs "$jobs" > /dev/null
  done
  rm -f "$big"
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
fi
