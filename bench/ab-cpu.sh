#!/bin/bash
# CPU per request of two loadts builds, interleaved (A B, B A, …) so the machine's drift falls on
# both: loadts pinned to CPU 1 with one worker, 50 VUs, 8 s, GET / of 3 bytes, against nginx with
# one worker pinned to CPU 0 (Debian's nginx). Each build folder needs `npm run build` done.
#   bash bench/ab-cpu.sh /path/to/build-A /path/to/build-B [pairs=4]
# Prints one line per run: build, pair, user+system seconds, requests, µs of CPU per request.
set -euo pipefail
A=$(realpath "$1"); B=$(realpath "$2"); PAIRS=${3:-4}
D=$(mktemp -d /tmp/loadts-ab-XXXXXX); PORT=18933
cat > "$D/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $D/nginx.pid; error_log $D/error.log crit;
events { worker_connections 8192; }
http { access_log off; keepalive_requests 10000000; keepalive_timeout 120s;
  client_body_temp_path $D; proxy_temp_path $D; fastcgi_temp_path $D; uwsgi_temp_path $D; scgi_temp_path $D;
  server { listen 127.0.0.1:$PORT; location = / { default_type text/plain; return 200 'ok\n'; } } }
CONF
taskset -c 0 /usr/sbin/nginx -c "$D/nginx.conf" -p "$D" &
NGX=$!
trap 'kill $NGX 2>/dev/null; rm -rf "$D"' EXIT
sleep 1
for i in $(seq 1 "$PAIRS"); do
  for t in $( (( i % 2 )) && echo A B || echo B A ); do
    dir=$A; [ "$t" = B ] && dir=$B
    out=$D/$t-$i.json
    cpu=$( { cd "$dir" && BASE_URL=http://127.0.0.1:$PORT /usr/bin/time -f '%U %S' taskset -c 1 node bin/loadts.js run -q --no-summary --workers 1 -u 50 -d 8s --summary-export "$out" bench/scripts/get.ts >/dev/null; } 2>&1 | tail -1)
    n=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$out','utf8')).metrics.http_reqs.count)")
    echo "$t pair $i cpu=$cpu reqs=$n us=$(echo "$cpu $n" | awk '{printf "%.2f", ($1+$2)/$3*1e6}')"
  done
done
