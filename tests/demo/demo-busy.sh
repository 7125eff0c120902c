#!/usr/bin/env bash
# How long `dotnet run --project src/Outdial.Server -- --demo` takes to look busy, measured from the command: until /health
# answers, then until at least BUSY calls are in progress (ringing or talking: records whose result reads DIALING), read
# through the API with the demo key the seeder logs ("busy" is when that answer was in hand; "asked at" when its request
# was sent). Each run starts on an empty data directory (a newcomer's first run);
# the build `dotnet run` checks is made once beforehand, untimed ("a checkout that command has built once").
# Usage: tests/demo/demo-busy.sh [runs=3]   env: PORT (18480), BUSY (5), LIMIT_S (60)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
PORT=${PORT:-18480}
BUSY=${BUSY:-5}
LIMIT_S=${LIMIT_S:-60}
URL="http://127.0.0.1:$PORT"

dotnet build src/Outdial.Server -v q -nologo >/dev/null

ms() { date +%s%3N; }

secs() { [[ -n $1 ]] && echo "scale=1; ($1 - $2) / 1000" | bc || echo "-"; }

run_once() {
  local data log pid t0 t_seeded="" t_health="" t_first="" t_busy="" t_busy_start="" key="" campaign="" calls=0 talking=0
  data=$(mktemp -d)
  log="$data/server.log"
  t0=$(ms)
  Outdial__DataDir="$data" setsid dotnet run --project src/Outdial.Server -- --demo --urls "$URL" >"$log" 2>&1 &
  pid=$!
  while (( $(ms) - t0 < LIMIT_S * 1000 )); do
    if [[ -z $key ]] && grep -q 'Demo ready' "$log"; then
      t_seeded=$(ms)
      key=$(grep -o 'Key: [A-Za-z0-9_-]*' "$log" | head -n 1 | cut -d ' ' -f 2)
      campaign=$(grep -o 'campaign [A-Za-z0-9]*\.' "$log" | head -n 1 | cut -d ' ' -f 2 | tr -d .)
    fi
    if [[ -z $t_health ]]; then
      if curl -fs -o /dev/null "$URL/health"; then t_health=$(ms); else sleep 0.1; continue; fi
    fi
    [[ -z $key ]] && { sleep 0.1; continue; }
    # A search over the campaign can take seconds on a loaded machine: polls overlap (one every 0.5 s, at most 3 at once)
    # so the time resolution is not the latency of one; each writes "start end calls talking" when its answers are in hand.
    if (( $(jobs -rp | wc -l) <= 3 )); then ( s=$(ms)
      c=$(curl -fs -H "Authorization: Bearer $key" "$URL/api/v1/campaigns/$campaign/records?result=DIALING&limit=1000" | grep -o '"id":' | wc -l || true)
      t=$(curl -fs -H "Authorization: Bearer $key" "$URL/api/v1/campaigns/$campaign/agents" | grep -o '"state":"Talking"' | wc -l || true)
      echo "$s $(ms) $c $t" >>"$data/polls" ) & fi
    sleep 0.5
    [[ -f $data/polls ]] || continue
    if [[ -z $t_first ]]; then t_first=$(awk '$3 > 0 { print $2 }' "$data/polls" | sort -n | head -n 1); fi
    read -r t_busy_start t_busy calls talking < <(awk -v b="$BUSY" '$3 >= b' "$data/polls" | sort -k2 -n | head -n 1) || true
    [[ -n $t_busy ]] && break
  done
  echo "seeded (log line) $(secs "$t_seeded" "$t0") s, /health $(secs "$t_health" "$t0") s, first call $(secs "$t_first" "$t0") s," \
    "$BUSY+ calls $(secs "$t_busy" "$t0") s, asked at $(secs "$t_busy_start" "$t0") s ($calls in progress, $talking agents talking)"
  kill -- -"$pid" 2>/dev/null || true
  wait 2>/dev/null || true # the server and any poll still out
  rm -rf "$data"
}

for i in $(seq "$RUNS"); do printf 'run %s: ' "$i"; run_once; done
