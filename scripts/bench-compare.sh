#!/usr/bin/env bash
# GossipGrid beside redis-server and etcd, measured in one run on this machine.
#
#   scripts/bench-compare.sh
#
# Starts, one system at a time, on 127.0.0.1 with free ports and temporary directories:
#   - a 3-node ephemeral GossipGrid cluster (--ack replicas): writes, reads, then a leader failover;
#   - a 3-node GossipGrid cluster with --ack leader: writes;
#   - one redis-server (no persistence): redis-benchmark SET and GET;
#   - a 3-member etcd cluster: writes and reads through its JSON gateway, then a leader failover.
# The HTTP systems are measured with the same wrk and the same Lua script. Every process the
# script starts is stopped on exit, failure included. Markdown tables go to stdout; progress
# and errors go to stderr. Missing tools are installed with apt-get (needs root).
#
# Environment (defaults in brackets):
#   BENCH_DURATION [10s]           wrk duration of each measured run
#   BENCH_CONCURRENCY ["1 8 32"]   connections (wrk -c, redis-benchmark -c)
#   BENCH_THREADS [2]              wrk threads, at most the connections; thread i connects to node i
#   BENCH_WARMUP [2s]              an unmeasured wrk run (8 connections) before each cluster's first run; 0 skips
#   BENCH_BYTES [100]              message / value size in bytes
#   BENCH_READ_KEYS [1000]         keys written before the read runs, which read them at random
#   BENCH_REDIS_REQUESTS [100000]  redis-benchmark -n for each test and concurrency
#   BENCH_DEADLINE [60]            seconds allowed for a cluster to form, and for a failover
#   BENCH_GG_FAILURE_TIMEOUT [2000]  gossipgrid node --failure-timeout (ms; 2000 is the node's default)
#   BENCH_ETCD_HEARTBEAT [100], BENCH_ETCD_ELECTION [1000]  etcd's timing (ms; etcd's defaults)
#   BENCH_ETCD_DIR [/dev/shm]      parent of etcd's data directories (tmpfs: no disk under any system)
#   BENCH_KEEP_LOGS [0]            1 keeps the directory with every log (kept anyway after a failure)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CLIENT="$ROOT/scripts/bench_client.py"
GG="$ROOT/.build-release/release/gossipgrid"

DURATION=${BENCH_DURATION:-10s}
read -r -a CONCURRENCY <<<"${BENCH_CONCURRENCY:-1 8 32}"
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-2s}
BYTES=${BENCH_BYTES:-100}
READ_KEYS=${BENCH_READ_KEYS:-1000}
REDIS_REQUESTS=${BENCH_REDIS_REQUESTS:-100000}
DEADLINE=${BENCH_DEADLINE:-60}
GG_FAILURE_TIMEOUT=${BENCH_GG_FAILURE_TIMEOUT:-2000}
ETCD_HEARTBEAT=${BENCH_ETCD_HEARTBEAT:-100}
ETCD_ELECTION=${BENCH_ETCD_ELECTION:-1000}
ETCD_DIR=${BENCH_ETCD_DIR:-/dev/shm}
KEEP_LOGS=${BENCH_KEEP_LOGS:-0}

for setting in THREADS READ_KEYS REDIS_REQUESTS DEADLINE BYTES GG_FAILURE_TIMEOUT ETCD_HEARTBEAT ETCD_ELECTION; do
    [[ ${!setting} =~ ^[1-9][0-9]*$ ]] || { echo "bench-compare: BENCH_$setting must be a positive integer" >&2; exit 2; }
done
for c in "${CONCURRENCY[@]}"; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || { echo "bench-compare: BENCH_CONCURRENCY must list positive integers" >&2; exit 2; }
done

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'bench-compare: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# Processes: everything started goes into STARTED and is stopped on exit.

STARTED=()
LAST_PID=
WORK=
ETCD_WORK=

# start_bg STDOUT STDERR CMD...: runs CMD in the background; its pid is LAST_PID.
start_bg() {
    local out=$1 err=$2
    shift 2
    "$@" >"$out" 2>"$err" &
    LAST_PID=$!
    STARTED+=("$LAST_PID")
}

# stop_pids PID...: SIGTERM, up to 10 s to exit, then SIGKILL; reaps them.
stop_pids() {
    local pid alive end
    (($# > 0)) || return 0
    for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
    end=$((SECONDS + 10))
    while ((SECONDS < end)); do
        alive=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    for pid in "$@"; do
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid ignored SIGTERM for 10 s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
}

cleanup() {
    local status=$?
    set +e
    trap - EXIT INT TERM
    stop_pids "${STARTED[@]}"
    [[ -n $ETCD_WORK ]] && rm -rf "$ETCD_WORK"
    if [[ -n $WORK ]]; then
        if ((status != 0)) || [[ $KEEP_LOGS == 1 ]]; then
            log "logs kept in $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for_line FILE REGEX PID WHAT: prints the first line of FILE matching REGEX, waiting
# up to DEADLINE seconds; fails if PID exits first.
wait_for_line() {
    local file=$1 regex=$2 pid=$3 what=$4 end=$((SECONDS + DEADLINE)) line
    while ((SECONDS < end)); do
        if line=$(grep -m1 -E "$regex" "$file" 2>/dev/null); then
            printf '%s\n' "$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || die "$what exited during start-up: $(tail -n 5 "${file%.*}.err" 2>/dev/null)"
        sleep 0.05
    done
    die "$what did not report it was up within $DEADLINE s (see ${file%.*}.err)"
}

log_failover() {
    local ms sent n answers
    read -r ms sent n answers <<<"$1"
    log "  first 200 after $ms ms (that write was sent at $sent ms); $n writes sent: $(answers "$answers")"
}

port_of() { local url=${1%/}; printf '%s\n' "${url##*:}"; }

# ---------------------------------------------------------------------------------------
# Tools and the binary.

ensure_tools() {
    local -A need=([wrk]=wrk [redis-server]=redis-server [redis-benchmark]=redis-tools
        [redis-cli]=redis-tools [etcd]=etcd-server [etcdctl]=etcd-client)
    local tool packages=()
    for tool in "${!need[@]}"; do
        command -v "$tool" >/dev/null 2>&1 || packages+=("${need[$tool]}")
    done
    ((${#packages[@]} > 0)) || return 0
    mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
    ((EUID == 0)) || die "missing ${packages[*]}: run as root, or install them with apt-get"
    log "installing ${packages[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >"$WORK/apt.log" 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$WORK/apt.log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >>"$WORK/apt.log" 2>&1 ||
            die "apt-get install ${packages[*]} failed: $(tail -n 5 "$WORK/apt.log")"
    fi
    for tool in "${!need[@]}"; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool is still missing after installing ${need[$tool]}"
    done
}

# The binary is built when missing: from the working tree (the default), or with
# BENCH_BUILD_FROM=HEAD from `git archive HEAD` in .build-release/src-COMMIT, for a tree that
# is being edited. .build-release/built-from says which source the binary came from.
ensure_binary() {
    local source dir commit modified
    [[ -x $GG ]] && return 0
    commit=$(git -C "$ROOT" rev-parse --short HEAD)
    case ${BENCH_BUILD_FROM:-worktree} in
    worktree)
        dir=$ROOT
        modified=$(git -C "$ROOT" status --porcelain --untracked-files=no | wc -l)
        source="the working tree at $commit ($modified tracked files modified)"
        ;;
    HEAD)
        dir="$ROOT/.build-release/src-$commit"
        rm -rf "$dir"
        mkdir -p "$dir"
        git -C "$ROOT" archive HEAD | tar -x -C "$dir"
        [[ -f $ROOT/Package.resolved ]] && cp "$ROOT/Package.resolved" "$dir/"
        source="commit $commit (git archive HEAD)"
        ;;
    *) die "BENCH_BUILD_FROM must be worktree or HEAD" ;;
    esac
    log "building $GG from $source (the first release build takes about 10 minutes)"
    (cd "$dir" && swift build -c release --product gossipgrid --scratch-path "$ROOT/.build-release") \
        >"$WORK/build.log" 2>&1 || die "swift build failed (BENCH_BUILD_FROM=HEAD builds the last commit instead): $(grep -m5 'error:' "$WORK/build.log" || tail -n 20 "$WORK/build.log")"
    [[ -x $GG ]] || die "the build finished but $GG is missing"
    printf '%s\n' "$source" >"$ROOT/.build-release/built-from"
}

binary_source() {
    if [[ -f $ROOT/.build-release/built-from && ! $ROOT/.build-release/built-from -ot $GG ]]; then
        cat "$ROOT/.build-release/built-from"
    else
        echo "unknown (not built by this script)"
    fi
}

# ---------------------------------------------------------------------------------------
# wrk and one Lua script for every HTTP workload.

write_lua() {
    cat >"$WORK/bench.lua" <<'LUA'
-- BENCH_MODE: gg-write, gg-read, etcd-put, etcd-range. BENCH_ADDRS: host:port,... (thread i -> i-th).
local mode = os.getenv("BENCH_MODE")
local gateway = os.getenv("BENCH_GATEWAY") or ""
local keyspace = tonumber(os.getenv("BENCH_KEYSPACE") or "1000")
local message = string.rep("x", tonumber(os.getenv("BENCH_BYTES") or "100"))
local targets = {}
for hostport in string.gmatch(os.getenv("BENCH_ADDRS") or "", "[^,]+") do
  targets[#targets + 1] = hostport
end

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function b64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local d = { math.floor(n / 262144) % 64, math.floor(n / 4096) % 64, math.floor(n / 64) % 64, n % 64 }
    out[#out + 1] = alphabet:sub(d[1] + 1, d[1] + 1) .. alphabet:sub(d[2] + 1, d[2] + 1)
      .. (b and alphabet:sub(d[3] + 1, d[3] + 1) or "=") .. (c and alphabet:sub(d[4] + 1, d[4] + 1) or "=")
  end
  return table.concat(out)
end

local created = 0
function setup(thread)
  local hostport = targets[(created % #targets) + 1]
  local host, port = hostport:match("^(.+):(%d+)$")
  thread.addr = wrk.lookup(host, port)[1]
  created = created + 1
  thread:set("thread_number", created)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_number or 0))
end

local json = { ["Content-Type"] = "application/json" }
local value64 = b64(message)
function request()
  if mode == "gg-write" then
    local key = "k" .. math.random(1, 1000000000)
    return wrk.format("POST", "/items", json, '{"partition_key":"' .. key .. '","message":"' .. message .. '"}')
  elseif mode == "gg-read" then
    return wrk.format("GET", "/items/r" .. math.random(0, keyspace - 1))
  elseif mode == "etcd-put" then
    local key = b64("k" .. math.random(1, 1000000000))
    return wrk.format("POST", gateway .. "/kv/put", json, '{"key":"' .. key .. '","value":"' .. value64 .. '"}')
  elseif mode == "etcd-range" then
    local key = b64("r" .. math.random(0, keyspace - 1))
    return wrk.format("POST", gateway .. "/kv/range", json, '{"key":"' .. key .. '"}')
  end
  error("unknown BENCH_MODE " .. tostring(mode))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHRESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect, e.read, e.write, e.timeout))
end
LUA
}

declare -A RESULT # key "system|workload|conns" -> "rps p50_ms p99_ms non2xx socket_errors cpu_us_per_request"
SERVER_PIDS=()     # the processes whose CPU time a run charges to the system measured
CLK_TCK=$(getconf CLK_TCK)

# cpu_ticks: user + system CPU ticks of SERVER_PIDS so far (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() {
    local pid total=0 stat fields
    for pid in "${SERVER_PIDS[@]}"; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        read -r -a fields <<<"${stat##*) }" # fields after the command name: field 3 is index 0
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# cpu_per_request TICKS REQUESTS: microseconds of server CPU per request.
cpu_per_request() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }'; }

# run_wrk KEY MODE CONNS DURATION ADDRS [GATEWAY]: stores RESULT[KEY] (KEY empty: warm-up).
run_wrk() {
    local key=$1 mode=$2 conns=$3 duration=$4 addrs=$5 gateway=${6:-}
    local threads=$((conns < THREADS ? conns : THREADS)) out line before after
    out="$WORK/wrk-${key//[|, ]/_}-${mode}-c${conns}.log"
    [[ -n $key ]] || out="$WORK/wrk-warmup-$mode.log"
    before=$(cpu_ticks)
    BENCH_MODE=$mode BENCH_ADDRS=$addrs BENCH_GATEWAY=$gateway BENCH_BYTES=$BYTES BENCH_KEYSPACE=$READ_KEYS \
        wrk -t "$threads" -c "$conns" -d "$duration" --timeout 10s --latency -s "$WORK/bench.lua" \
        "http://${addrs%%,*}/" >"$out" 2>&1 || die "wrk $mode -c $conns failed: $(tail -n 5 "$out")"
    after=$(cpu_ticks)
    [[ -n $key ]] || return 0
    line=$(grep -m1 '^BENCHRESULT ' "$out") || die "wrk printed no result: $(tail -n 5 "$out")"
    RESULT[$key]=$(awk -v ticks=$((after - before)) -v hz="$CLK_TCK" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%.0f %.2f %.2f %d %d %.0f", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000,
            v["status"], v["connect"] + v["read"] + v["write"] + v["timeout"],
            (v["requests"] > 0 ? ticks * 1e6 / hz / v["requests"] : 0)
    }' <<<"$line")
    log "  $key: $(awk '{printf "%s req/s, p50 %s ms, p99 %s ms, non-2xx %s, socket errors %s, server CPU %s us/request", $1, $2, $3, $4, $5, $6}' <<<"${RESULT[$key]}")"
}

# ---------------------------------------------------------------------------------------
# GossipGrid.

GG_PIDS=()
GG_URLS=()
GG_ADDRS=

gg_start() {
    local ack=$1 i line gossip http seed=()
    GG_PIDS=()
    GG_URLS=()
    for i in 1 2 3; do
        start_bg "$WORK/gg-$ack-$i.out" "$WORK/gg-$ack-$i.err" "$GG" node --cluster "bench-$ack-$$" \
            --gossip 127.0.0.1:0 --http 127.0.0.1:0 --ephemeral --ack "$ack" \
            --failure-timeout "$GG_FAILURE_TIMEOUT" "${seed[@]}"
        GG_PIDS+=("$LAST_PID")
        line=$(wait_for_line "$WORK/gg-$ack-$i.out" '^gossipgrid node .* http=' "$LAST_PID" "GossipGrid node $i (--ack $ack)")
        gossip=${line#* gossip=}
        gossip=${gossip%% *}
        http=${line#* http=}
        http=${http%% *}
        GG_URLS+=("http://$http")
        ((i == 1)) && seed=(--seed "$gossip")
    done
    GG_ADDRS=$(IFS=,; printf '%s' "${GG_URLS[*]//http:\/\//}")
    SERVER_PIDS=("${GG_PIDS[@]}")
    log "GossipGrid --ack $ack: nodes at ${GG_URLS[*]}; waiting for the cluster to form"
    python3 "$CLIENT" gg-wait --deadline "$DEADLINE" "${GG_URLS[@]}" || die "GossipGrid (--ack $ack) did not form"
}

gg_stop() { stop_pids "${GG_PIDS[@]}"; GG_PIDS=(); }

GG_FAILOVER=

gg_failover() {
    local answer partition leader leader_http i victim=-1 survivor out
    answer=$(python3 "$CLIENT" gg-leader --url "${GG_URLS[0]}" --key failover-probe) || die "cannot find a partition leader"
    read -r partition leader leader_http <<<"$answer"
    for i in 0 1 2; do
        [[ $(port_of "${GG_URLS[$i]}") == "${leader_http##*:}" ]] && victim=$i
    done
    ((victim >= 0)) || die "the leader's HTTP address $leader_http is none of ours"
    survivor=${GG_URLS[$(((victim + 1) % 3))]}
    log "GossipGrid failover: SIGKILL node $((victim + 1)) ($leader, leader of partition $partition), writing through $survivor"
    out=$(python3 "$CLIENT" kill-and-poll --pid "${GG_PIDS[$victim]}" --kind gg --url "$survivor" \
        --key failover-probe --deadline "$DEADLINE" --trace "$WORK/failover-gossipgrid.trace") ||
        die "GossipGrid failover measurement failed"
    wait "${GG_PIDS[$victim]}" 2>/dev/null || true
    GG_FAILOVER="$out $partition node$((victim + 1))"
    log_failover "$out"
}

bench_gossipgrid() {
    local c
    gg_start replicas
    [[ $WARMUP == 0 ]] || run_wrk "" gg-write 8 "$WARMUP" "$GG_ADDRS"
    for c in "${CONCURRENCY[@]}"; do run_wrk "gg|write-replicas|$c" gg-write "$c" "$DURATION" "$GG_ADDRS"; done
    log "GossipGrid: writing $READ_KEYS keys to read"
    python3 "$CLIENT" gg-preload --url "${GG_URLS[0]}" --count "$READ_KEYS" --bytes "$BYTES" --prefix r ||
        die "GossipGrid preload failed"
    for c in "${CONCURRENCY[@]}"; do run_wrk "gg|read|$c" gg-read "$c" "$DURATION" "$GG_ADDRS"; done
    gg_failover
    gg_stop

    gg_start leader
    [[ $WARMUP == 0 ]] || run_wrk "" gg-write 8 "$WARMUP" "$GG_ADDRS"
    for c in "${CONCURRENCY[@]}"; do run_wrk "gg|write-leader|$c" gg-write "$c" "$DURATION" "$GG_ADDRS"; done
    gg_stop
}

# ---------------------------------------------------------------------------------------
# redis-server.

bench_redis() {
    local port pid c end
    port=$(python3 "$CLIENT" free-ports 1) || die "cannot find a free port for redis-server"
    mkdir -p "$WORK/redis"
    start_bg "$WORK/redis.out" "$WORK/redis.err" redis-server --bind 127.0.0.1 --port "$port" --save '' \
        --appendonly no --dir "$WORK/redis" --daemonize no
    pid=$LAST_PID
    end=$((SECONDS + DEADLINE))
    until [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; do
        kill -0 "$pid" 2>/dev/null || die "redis-server exited: $(tail -n 5 "$WORK/redis.out")"
        ((SECONDS < end)) || die "redis-server did not answer PING within $DEADLINE s"
        sleep 0.05
    done
    log "redis-server on 127.0.0.1:$port"
    SERVER_PIDS=("$pid")
    local test csv line rps p50 p99 before after
    for c in "${CONCURRENCY[@]}"; do
        for test in SET GET; do
            csv="$WORK/redis-benchmark-$test-c$c.csv"
            before=$(cpu_ticks)
            redis-benchmark -h 127.0.0.1 -p "$port" -t "${test,,}" -c "$c" -n "$REDIS_REQUESTS" -d "$BYTES" \
                -r 1000000 --csv >"$csv" 2>"${csv%.csv}.err" ||
                die "redis-benchmark -t ${test,,} -c $c failed: $(tail -n 5 "${csv%.csv}.err")"
            after=$(cpu_ticks)
            # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
            line=$(grep -m1 "^\"$test\"," "$csv") || die "cannot read redis-benchmark's CSV: $(head -n 3 "$csv")"
            IFS=, read -r _ rps _ _ p50 _ p99 _ <<<"${line//\"/}"
            [[ -n $p99 ]] || { p50=-; p99=-; }
            RESULT["redis|$test|$c"]="$(printf '%.0f' "$rps") $p50 $p99 - - $(cpu_per_request $((after - before)) "$REDIS_REQUESTS")"
            log "  redis $test -c $c: $rps req/s, p50 $p50 ms, p99 $p99 ms, server CPU $(cell "redis|$test|$c" 6) us/request"
        done
    done
    stop_pids "$pid"
}

# ---------------------------------------------------------------------------------------
# etcd.

ETCD_PIDS=()
ETCD_URLS=()
ETCD_FAILOVER=

bench_etcd() {
    local ports i cluster="" endpoints gateway c end health leader victim=-1 survivor out
    mapfile -t ports < <(python3 "$CLIENT" free-ports 6)
    ((${#ports[@]} == 6)) || die "cannot find free ports for etcd"
    ETCD_WORK=$(mktemp -d -p "$ETCD_DIR" bench-etcd.XXXXXX) || die "cannot create a directory in $ETCD_DIR"
    for i in 0 1 2; do
        cluster+="${cluster:+,}m$i=http://127.0.0.1:${ports[$((i + 3))]}"
        ETCD_URLS+=("http://127.0.0.1:${ports[$i]}")
    done
    for i in 0 1 2; do
        start_bg "$WORK/etcd-$i.out" "$WORK/etcd-$i.err" etcd --name "m$i" --data-dir "$ETCD_WORK/m$i" \
            --listen-client-urls "${ETCD_URLS[$i]}" --advertise-client-urls "${ETCD_URLS[$i]}" \
            --listen-peer-urls "http://127.0.0.1:${ports[$((i + 3))]}" \
            --initial-advertise-peer-urls "http://127.0.0.1:${ports[$((i + 3))]}" \
            --initial-cluster "$cluster" --initial-cluster-token "bench-$$" --initial-cluster-state new \
            --heartbeat-interval "$ETCD_HEARTBEAT" --election-timeout "$ETCD_ELECTION" \
            --logger zap --log-level warn
        ETCD_PIDS+=("$LAST_PID")
    done
    endpoints=$(IFS=,; printf '%s' "${ETCD_URLS[*]}")
    SERVER_PIDS=("${ETCD_PIDS[@]}")
    log "etcd members at $endpoints (data in $ETCD_WORK); waiting for health"
    end=$((SECONDS + DEADLINE))
    until health=$(ETCDCTL_API=3 etcdctl --endpoints="$endpoints" --dial-timeout=1s --command-timeout=2s \
        endpoint health 2>&1); do
        for i in 0 1 2; do
            kill -0 "${ETCD_PIDS[$i]}" 2>/dev/null || die "etcd m$i exited: $(tail -n 5 "$WORK/etcd-$i.err")"
        done
        ((SECONDS < end)) || die "etcd not healthy within $DEADLINE s: $health"
        sleep 0.2
    done
    gateway=$(python3 "$CLIENT" etcd-gateway --url "${ETCD_URLS[0]}") || die "etcd's JSON gateway does not answer"
    local addrs
    addrs=$(IFS=,; printf '%s' "${ETCD_URLS[*]//http:\/\//}")
    log "etcd healthy; JSON gateway at $gateway"
    [[ $WARMUP == 0 ]] || run_wrk "" etcd-put 8 "$WARMUP" "$addrs" "$gateway"
    for c in "${CONCURRENCY[@]}"; do run_wrk "etcd|put|$c" etcd-put "$c" "$DURATION" "$addrs" "$gateway"; done
    log "etcd: writing $READ_KEYS keys to read"
    python3 "$CLIENT" etcd-preload --url "${ETCD_URLS[0]}" --prefix "$gateway" --count "$READ_KEYS" \
        --bytes "$BYTES" --key-prefix r || die "etcd preload failed"
    for c in "${CONCURRENCY[@]}"; do run_wrk "etcd|range|$c" etcd-range "$c" "$DURATION" "$addrs" "$gateway"; done

    leader=$(ETCDCTL_API=3 etcdctl --endpoints="$endpoints" endpoint status -w json | python3 "$CLIENT" etcd-leader) ||
        die "cannot find etcd's leader"
    for i in 0 1 2; do [[ $(port_of "$leader") == "${ports[$i]}" ]] && victim=$i; done
    ((victim >= 0)) || die "etcd's leader $leader is none of ours"
    survivor=${ETCD_URLS[$(((victim + 1) % 3))]}
    log "etcd failover: SIGKILL m$victim (the leader), writing through $survivor"
    out=$(python3 "$CLIENT" kill-and-poll --pid "${ETCD_PIDS[$victim]}" --kind etcd --gateway "$gateway" \
        --url "$survivor" --key failover-probe --deadline "$DEADLINE" --trace "$WORK/failover-etcd.trace") ||
        die "etcd failover measurement failed"
    wait "${ETCD_PIDS[$victim]}" 2>/dev/null || true
    ETCD_FAILOVER="$out m$victim"
    log_failover "$out"
    stop_pids "${ETCD_PIDS[@]}"
    ETCD_GATEWAY=$gateway
}

# ---------------------------------------------------------------------------------------
# The report.

# cell KEY FIELD: one field of RESULT[KEY] (1 rps, 2 p50, 3 p99, 4 non-2xx, 5 socket errors, 6 CPU us/request).
cell() { local v=${RESULT[$1]:-}; [[ -n $v ]] && awk -v f="$2" '{print $f}' <<<"$v" || echo -; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
errors() { local n s; n=$(cell "$1" 4); s=$(cell "$1" 5); [[ $s == 0 || $s == - ]] && echo "$n" || echo "$n (+$s socket)"; }

# answers "200:1,503:2,in-flight:9" -> "200 ×1, 503 ×2, 9 still in flight"
answers() {
    tr ',' '\n' <<<"$1" | awk -F: '$1 == "in-flight" { f = $2; next } { out = out (out ? ", " : "") $1 " ×" $2 }
        END { print out ", " f " still in flight" }'
}

report() {
    local cpu commit dirty c w gg redis etcd
    cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
    echo "## bench-compare $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
    echo "- commit: \`$commit\` ($dirty tracked files modified in the working tree); gossipgrid built from $(binary_source)"
    echo "- load average (1, 5, 15 min) before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg); 1 min when each system started: $LOAD_AT"
    echo "- gossipgrid/redis-server/etcd processes running that this script did not start: ${FOREIGN:-none}"
    echo "- versions: $(redis-server --version | awk '{print $1, $3}'), etcd $(etcd --version | awk '/etcd Version/ {print $3}'), $(wrk -v 2>&1 | awk 'NR==1 {print $1, $2}')"
    echo "- settings: wrk ${DURATION} per run, --timeout 10s, threads min(conns, $THREADS), thread i on node i; ${BYTES}-byte values; reads over $READ_KEYS preloaded keys; redis-benchmark -n $REDIS_REQUESTS -d $BYTES -r 1000000; etcd data in $ETCD_DIR, JSON gateway $ETCD_GATEWAY, linearizable ranges"
    echo
    echo "| workload | conns | GossipGrid req/s | p50 / p99 ms | non-2xx | redis req/s | p50 / p99 ms | etcd req/s | p50 / p99 ms | non-2xx | req/s GG÷redis | req/s GG÷etcd |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for w in write-replicas write-leader read; do
        for c in "${CONCURRENCY[@]}"; do
            gg="gg|$w|$c"
            if [[ $w == read ]]; then redis="redis|GET|$c"; etcd="etcd|range|$c"; else redis="redis|SET|$c"; etcd="etcd|put|$c"; fi
            printf '| %s | %s | %s | %s / %s | %s | %s | %s / %s | %s | %s / %s | %s | %s | %s |\n' \
                "$(case $w in write-replicas) echo "write, --ack replicas / SET / put";;
                    write-leader) echo "write, --ack leader / SET / put";; read) echo "read / GET / range";; esac)" \
                "$c" "$(cell "$gg" 1)" "$(cell "$gg" 2)" "$(cell "$gg" 3)" "$(errors "$gg")" \
                "$(cell "$redis" 1)" "$(cell "$redis" 2)" "$(cell "$redis" 3)" \
                "$(cell "$etcd" 1)" "$(cell "$etcd" 2)" "$(cell "$etcd" 3)" "$(errors "$etcd")" \
                "$(ratio "$(cell "$gg" 1)" "$(cell "$redis" 1)")" "$(ratio "$(cell "$gg" 1)" "$(cell "$etcd" 1)")"
        done
    done
    echo
    echo "| latency ratio | conns | p50 GG÷redis | p99 GG÷redis | p50 GG÷etcd | p99 GG÷etcd |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for w in write-replicas write-leader read; do
        for c in "${CONCURRENCY[@]}"; do
            gg="gg|$w|$c"
            if [[ $w == read ]]; then redis="redis|GET|$c"; etcd="etcd|range|$c"; else redis="redis|SET|$c"; etcd="etcd|put|$c"; fi
            printf '| %s | %s | %s | %s | %s | %s |\n' "$w" "$c" \
                "$(ratio "$(cell "$gg" 2)" "$(cell "$redis" 2)")" "$(ratio "$(cell "$gg" 3)" "$(cell "$redis" 3)")" \
                "$(ratio "$(cell "$gg" 2)" "$(cell "$etcd" 2)")" "$(ratio "$(cell "$gg" 3)" "$(cell "$etcd" 3)")"
        done
    done
    echo
    echo "| server CPU per request (µs, user + system, every process of the system) | conns | GossipGrid | redis | etcd | GG÷redis | GG÷etcd |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for w in write-replicas write-leader read; do
        for c in "${CONCURRENCY[@]}"; do
            gg="gg|$w|$c"
            if [[ $w == read ]]; then redis="redis|GET|$c"; etcd="etcd|range|$c"; else redis="redis|SET|$c"; etcd="etcd|put|$c"; fi
            printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$w" "$c" "$(cell "$gg" 6)" "$(cell "$redis" 6)" "$(cell "$etcd" 6)" \
                "$(ratio "$(cell "$gg" 6)" "$(cell "$redis" 6)")" "$(ratio "$(cell "$gg" 6)" "$(cell "$etcd" 6)")"
        done
    done
    echo
    local g_ms g_sent g_n g_ans g_part g_node e_ms e_sent e_n e_ans e_node
    read -r g_ms g_sent g_n g_ans g_part g_node <<<"$GG_FAILOVER"
    read -r e_ms e_sent e_n e_ans e_node <<<"$ETCD_FAILOVER"
    echo "| failover: SIGKILL the leader, write through a survivor | first 200 after | that write sent at | writes (one sent every 20 ms, overlapping) | timing settings |"
    echo "| --- | ---: | ---: | --- | --- |"
    g_ans=$(answers "$g_ans")
    e_ans=$(answers "$e_ans")
    echo "| GossipGrid, $g_node (leader of partition $g_part), --ack replicas | $g_ms ms | $g_sent ms | $g_n sent: $g_ans | --failure-timeout $GG_FAILURE_TIMEOUT ms |"
    echo "| etcd, $e_node (the Raft leader) | $e_ms ms | $e_sent ms | $e_n sent: $e_ans | --heartbeat-interval $ETCD_HEARTBEAT ms, --election-timeout $ETCD_ELECTION ms |"
}

# ---------------------------------------------------------------------------------------

main() {
    command -v python3 >/dev/null 2>&1 || die "python3 is required"
    WORK=$(mktemp -d -t bench-compare.XXXXXX)
    ensure_tools
    ensure_binary
    write_lua
    local name pids
    for name in gossipgrid redis-server etcd; do
        pids=$(pgrep -x "$name" | xargs || true)
        FOREIGN+="${pids:+${FOREIGN:+ }$pids}"
    done
    [[ -z $FOREIGN ]] || log "warning: gossipgrid/redis-server/etcd processes not started here are running (pids $FOREIGN); they share the CPU"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    log "load average $LOAD_BEFORE; logs in $WORK"
    LOAD_AT+="GossipGrid $(cut -d' ' -f1 /proc/loadavg)"
    bench_gossipgrid
    LOAD_AT+=", redis $(cut -d' ' -f1 /proc/loadavg)"
    bench_redis
    LOAD_AT+=", etcd $(cut -d' ' -f1 /proc/loadavg)"
    bench_etcd
    report
}

ETCD_GATEWAY=
LOAD_BEFORE=
LOAD_AT=
FOREIGN=
main "$@"
