#!/usr/bin/env bash
# How long `dotnet run --project src/Outdial.Server -- --demo` takes to look busy, measured from the command: until /health
# answers, then until at least BUSY calls are in progress (ringing, from the events stream, or talking, from the agents'
# sessions), read through the API with the demo key the seeder logs. (A search for records whose result reads DIALING
# says the same but took 5 to 40 s to answer on a loaded 2-core machine: too slow to time anything by.) Each run starts on an empty data directory (a newcomer's first run);
# the build `dotnet run` checks is made once beforehand, untimed ("a checkout that command has built once").
# Usage: tests/demo/demo-busy.sh [runs=3]   env: PORT (18480), BUSY (5), LIMIT_S (60), and DEMO_CMD to time another start
# command than `dotnet run --project src/Outdial.Server --` (e.g. src/Outdial.Server/bin/Debug/net10.0/outdial: no build check).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
PORT=${PORT:-18480}
BUSY=${BUSY:-5}
LIMIT_S=${LIMIT_S:-60}
URL="http://127.0.0.1:$PORT"
read -r -a CMD <<<"${DEMO_CMD:-dotnet run --project src/Outdial.Server --}"

dotnet build src/Outdial.Server -v q -nologo >/dev/null

ms() { date +%s%3N; }

secs() { [[ -n $1 ]] && echo "scale=1; ($1 - $2) / 1000" | bc || echo "-"; }

run_once() {
  local data log pid t0 t_seeded="" t_health="" t_first="" t_busy="" ringing=0 key="" campaign="" calls=0 talking=0
  data=$(mktemp -d)
  log="$data/server.log"
  t0=$(ms)
  Outdial__DataDir="$data" setsid "${CMD[@]}" --demo --urls "$URL" >"$log" 2>&1 &
  pid=$!
  while (( $(ms) - t0 < LIMIT_S * 1000 )); do
    if [[ -z $key ]] && grep -q 'Demo ready' "$log"; then
      t_seeded=$(ms)
      key=$(grep -o 'Key: [A-Za-z0-9_-]*' "$log" | head -n 1 | cut -d ' ' -f 2)
      campaign=$(grep -o 'campaign [A-Za-z0-9]*\.' "$log" | head -n 1 | cut -d ' ' -f 2 | tr -d .)
    fi
    if [[ -z $t_health ]]; then
      if curl -fs -m 5 -o /dev/null "$URL/health"; then t_health=$(ms); else sleep 0.1; continue; fi
    fi
    [[ -z $key ]] && { sleep 0.1; continue; }
    if [[ ! -f $data/events ]]; then
      # Call progress as it happens, each line stamped on receipt.
      : >"$data/events"
      curl -fsN -m "$LIMIT_S" -H "Authorization: Bearer $key" "$URL/api/v1/events?types=call.progress" 2>/dev/null \
        | while IFS= read -r line; do [[ $line == data:* ]] && echo "$(ms) $line"; done >>"$data/events" &
    fi
    # Ringing now: calls whose last event is Ringing (a call that began ringing before the stream opened is not counted
    # until its next event: a lower bound). Talking: the agents' sessions.
    ringing=$(grep -o '"callId":[0-9]*,"recordSerial":[0-9]*,"progress":"[A-Za-z]*"' "$data/events" \
      | awk -F'[:,"]+' '{ last[$3] = $7 } END { n = 0; for (c in last) if (last[c] == "Ringing") n++; print n }' || true)
    talking=$(curl -fs -m 5 -H "Authorization: Bearer $key" "$URL/api/v1/campaigns/$campaign/agents" | grep -o '"state":"Talking"' | wc -l || true)
    calls=$((ringing + talking))
    if [[ -z $t_first ]] && (( calls > 0 )); then t_first=$(ms); fi
    if (( calls >= BUSY )); then t_busy=$(ms); break; fi
    sleep 0.2
  done
  echo "seeded (log line) $(secs "$t_seeded" "$t0") s, /health $(secs "$t_health" "$t0") s, first call $(secs "$t_first" "$t0") s," \
    "$BUSY+ calls $(secs "$t_busy" "$t0") s ($ringing ringing, $talking agents talking)"
  kill -- -"$pid" 2>/dev/null || true
  wait 2>/dev/null || true # the server, and the events stream it ended
  rm -rf "$data"
}

for i in $(seq "$RUNS"); do printf 'run %s: ' "$i"; run_once; done
