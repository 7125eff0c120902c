#!/bin/bash
# usage: bench/cpu-per-request.sh <dir-with-outdial.dll> <datadir> <port> <seconds>
# Server CPU per request (utime+stime ticks of the server over a wrk run / requests done), per endpoint.
DLL=$1; DATA=$2; PORT=$3; SECS=${4:-5}
cd $DLL
Outdial__DataDir=$DATA OUTDIAL_BOOTSTRAP_KEY=bench-key Logging__LogLevel__Default=Warning Outdial__Dialer=false dotnet outdial.dll serve --urls http://127.0.0.1:$PORT > /tmp/outdial-cpu-srv-$PORT.log 2>&1 &
PID=$!
sleep 8
C=$(sqlite3 $DATA/outdial.db "select uid from campaigns limit 1")
B=http://127.0.0.1:$PORT
H="Authorization: Bearer bench-key"
EPS=("/health" "/RI/obi/campaigns/$C/customers?limit=100" "/RI/obi/campaigns/$C/customers?limit=1" "/RI/obi/campaigns/$C/customers?limit=1000" "/RI/obi/campaigns/$C/customers?externalId=C12*&limit=100" "/RI/obi/campaigns/$C/customers?limit=100&offset=50000" "/api/v1/campaigns/$C/records?limit=100")
for e in "${EPS[@]}"; do wrk -t1 -c4 -d4s -H "$H" "$B$e" > /dev/null; done
TCK=$(getconf CLK_TCK)
for e in "${EPS[@]}"; do
  c0=$(awk '{print $14+$15}' /proc/$PID/stat)
  out=$(wrk -t2 -c16 -d${SECS}s -H "$H" "$B$e")
  c1=$(awk '{print $14+$15}' /proc/$PID/stat)
  n=$(echo "$out" | awk '/requests in/{print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  echo "$e | req/s $rps | CPU/request $(echo "scale=1; ($c1-$c0)*1000000/$TCK/$n" | bc) µs | non2xx ${non2xx:-0} | load $(cut -d' ' -f1 /proc/loadavg)"
done
kill $PID
