#!/bin/bash
# The figures of docs/performance.md: two checkouts measured one command after the other,
# before and after alternated, each line with the time and the load average.
#
#   bash bench/before_after.sh BEFORE_DIR AFTER_DIR OUT_DIR
#
# Each directory is a checkout with its own `make .venv/.installed`; copy the after checkout's
# bench/ into the before one, so only the bot differs. OUT_DIR/log is the summary; each
# command's whole output (its JSON included) is OUT_DIR/<name>.out.
set -u
before=$1 after=$2 out=$3
mkdir -p "$out"
run() {
  local name=$1 dir=$2
  shift 2
  echo "== $name $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log"
  (cd "$dir" && timeout 1200 .venv/bin/python -m "$@" >"$out/$name.out" 2>&1; echo "rc=$?" >>"$out/$name.out")
  grep -v '^{' "$out/$name.out" | grep -v 'retrying in' | tail -12 >>"$out/log"
}
run rt-before "$before" bench.round_trips --users 20
run rt-after "$after" bench.round_trips --users 20
run tp1-before "$before" bench.throughput --users 200 --modes polling
run tp1-after "$after" bench.throughput --users 200 --modes polling
run tp2-before "$before" bench.throughput --users 200 --modes polling
run tp2-after "$after" bench.throughput --users 200 --modes polling
run lat-before "$before" bench.latency --rate 100 --seconds 20
run lat-after "$after" bench.latency --rate 100 --seconds 20
run mem-before "$before" bench.memory --users 10000 --conversations 1000 --traffic 100
run mem-after "$after" bench.memory --users 10000 --conversations 1000 --traffic 100
run profile-after "$after" bench.profile --users 100 --top 25
run shared-after "$after" bench.shared_limits --messages 150
run two-after "$after" bench.two_bots
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/log"
