#!/usr/bin/env bash
# Release-mode benchmarks: codec throughput on one core, then otelsw end to end
# (OTLP/HTTP in → batch → otlphttp out to a sink), then an overload run against a slow sink, then the
# metrics path (scrape 10,000 series every second → remote-write sink) next to Prometheus in agent mode.
# Prints items/s, CPU-seconds per million items (of the otelsw process) and peak RSS.
# Knobs: DURATION (seconds per run, default 15), CONNS (wrk connections, default 8),
#        COMPRESSION (exporter compression, default none), SERIES (scrape benchmark, default 10000),
#        LOG_MB (size of the file the logs benchmark tails, default 1024),
#        ONLY (run one section: traces, sampling, metrics or logs).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-15}"
CONNS="${CONNS:-8}"
COMPRESSION="${COMPRESSION:-none}"
SERIES="${SERIES:-10000}"
ONLY="${ONLY:-}"
LOG_MB="${LOG_MB:-1024}"
OUT="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$OUT"; }
trap cleanup EXIT

OTELSW_APT_PACKAGES="zlib1g-dev wrk curl prometheus" scripts/test-env.sh >/dev/null
swift build -c release --product otelsw >&2
swift build -c release --product otelsw-bench >&2
BIN=.build/release

cpu_seconds() { awk '{ print ($14 + $15) / 100 }' "/proc/$1/stat"; }
peak_rss_mib() { awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
metric() { curl -s "http://127.0.0.1:18888/metrics" | awk -v m="$1" -v l="$2" 'index($0, m) == 1 && index($0, l) { s += $NF } END { printf "%d", s }'; }

start_agent() { # $1 = sink delay ms, $2 = num_consumers, $3 = queue: memory (default), fsync or interval,
                # $4 = delay ms of a second, sibling exporter's sink (none by default)
    "$BIN/otelsw-bench" sink --port 19318 --delay-ms "$1" > "$OUT/sink.log" 2>&1 &
    PIDS+=($!)
    local storage="" extensions="" service_extensions="" sibling="" sibling_id=""
    if [ -n "${4:-}" ]; then
        "$BIN/otelsw-bench" sink --port 19319 --delay-ms "$4" > "$OUT/sink-slow.log" 2>&1 &
        PIDS+=($!)
        sibling="  otlphttp/slow:
    endpoint: http://127.0.0.1:19319
    compression: $COMPRESSION
    sending_queue:
      num_consumers: 2"
        sibling_id=", otlphttp/slow"
    fi
    if [ "${3:-memory}" != memory ]; then
        rm -rf "$OUT/queue"
        storage="      storage: file_storage"
        extensions="extensions:
  file_storage:
    directory: $OUT/queue
    fsync: $([ "$3" = fsync ] && echo true || echo false)"
        service_extensions="  extensions: [file_storage]"
    fi
    cat > "$OUT/bench.yaml" <<YAML
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:14317
      http:
        endpoint: 127.0.0.1:14318
processors:
  batch:
exporters:
  otlphttp:
    endpoint: http://127.0.0.1:19318
    compression: $COMPRESSION
    sending_queue:
      num_consumers: $2
$storage
$sibling
$extensions
service:
$service_extensions
  telemetry:
    metrics:
      address: 127.0.0.1:18888
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp$sibling_id]
YAML
    "$BIN/otelsw" --pipeline "$OUT/bench.yaml" > "$OUT/otelsw.log" 2>&1 &
    AGENT=$!
    PIDS+=($AGENT)
    for _ in $(seq 100); do curl -sf http://127.0.0.1:18888/healthz > /dev/null && return 0; sleep 0.1; done
    echo "otelsw did not start:"; cat "$OUT/otelsw.log"; exit 1
}

stop_agent() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    PIDS=()
}

run_load() { # prints a summary line; $1 = label, $2 = http or grpc
    local cpu0 cpu1 wrk_out accepted refused sent
    cpu0=$(cpu_seconds "$AGENT")
    if [ "$2" = grpc ]; then
        wrk_out=$("$BIN/otelsw-bench" grpc-load --port 14317 --payload "$OUT/traces_1000.pb" --seconds "$DURATION" --concurrency "$CONNS")
    else
        wrk_out=$(wrk -t 2 -c "$CONNS" -d "${DURATION}s" --timeout 10s -s bench/post.lua http://127.0.0.1:14318/v1/traces -- "$OUT/traces_1000.pb")
    fi
    cpu1=$(cpu_seconds "$AGENT")
    accepted=$(metric otelsw_receiver_accepted_spans_total "transport=\"$2\"")
    refused=$(metric otelsw_receiver_refused_spans_total "transport=\"$2\",reason=\"backpressure\"")
    sent=$(metric otelsw_exporter_sent_spans_total 'exporter="otlphttp"')
    awk -v label="$1" -v a="$accepted" -v r="$refused" -v s="$sent" -v c0="$cpu0" -v c1="$cpu1" -v d="$DURATION" -v rss="$(peak_rss_mib "$AGENT")" -v w="$(echo "$wrk_out" | tail -1)" 'BEGIN {
        cpu = c1 - c0
        printf "%-22s accepted %8.0f spans/s  sent %8.0f spans/s  refused %d spans  CPU %.2f s per million spans  peak RSS %s MiB  [%s]\n",
            label, a / d, s / d, r, (a > 0 ? cpu / (a / 1e6) : 0), rss, w }'
}


if [ -z "$ONLY" ] || [ "$ONLY" = traces ]; then
echo "== codec (one core, 1000-span request)"
"$BIN/otelsw-bench" codec --seconds 3

"$BIN/otelsw-bench" payload --spans 1000 --out "$OUT/traces_1000.pb"
SPANS_PER_REQUEST=1000

echo "== end to end: OTLP in -> batch -> otlphttp out (compression $COMPRESSION) to a sink, $CONNS connections, ${DURATION}s"
start_agent 0 10
run_load "OTLP/HTTP in" http
stop_agent
start_agent 0 10
run_load "OTLP/gRPC in" grpc
stop_agent

echo "== persistent queue (file_storage), OTLP/HTTP in"
start_agent 0 10 fsync
run_load "persistent, fsync" http
stop_agent
start_agent 0 10 interval
run_load "persistent, 1s fsync" http
stop_agent

echo "== fan-out isolation: the same exporter beside a sibling whose sink answers after 500 ms"
start_agent 0 10 memory 500
run_load "fast beside slow" http
echo "   slow sibling: sent $(metric otelsw_exporter_sent_spans_total 'exporter="otlphttp/slow"') spans, dropped (queue_full) $(metric otelsw_exporter_dropped_items_total 'exporter="otlphttp/slow",signal="traces",reason="queue_full"') spans"
stop_agent

echo "== overload: the sink answers after 200 ms, 2 exporter consumers"
start_agent 200 2
run_load "OTLP/HTTP, slow sink" http
stop_agent
start_agent 200 2
run_load "OTLP/gRPC, slow sink" grpc
stop_agent
fi

# ---- tail sampling: 10 spans per trace, 5 s decision wait, fresh trace ids in every request -------
if [ -z "$ONLY" ] || [ "$ONLY" = sampling ]; then
    "$BIN/otelsw-bench" payload --spans 1000 --spans-per-trace 10 --out "$OUT/traces_sampled.pb"
    SPAN_BYTES=$(( $(stat -c %s "$OUT/traces_sampled.pb") / 1000 ))
    run_sampling() { # $1 = label, $2 = processors of the traces pipeline
        cat > "$OUT/sampling.yaml" <<YAML
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:14317
processors:
  batch:
  tail_sampling:
    decision_wait: 5s
    num_traces: 1000000
    memory_limit_mib: 4096
    policies:
      - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
      - {name: base, type: probabilistic, probabilistic: {sampling_percentage: 10}}
exporters:
  otlphttp:
    endpoint: http://127.0.0.1:19318
    compression: $COMPRESSION
service:
  telemetry:
    metrics:
      address: 127.0.0.1:18888
  pipelines:
    traces:
      receivers: [otlp]
      processors: [$2]
      exporters: [otlphttp]
YAML
        "$BIN/otelsw-bench" sink --port 19318 > "$OUT/sink.log" 2>&1 &
        PIDS+=($!)
        "$BIN/otelsw" --pipeline "$OUT/sampling.yaml" > "$OUT/otelsw-sampling.log" 2>&1 &
        AGENT=$!
        PIDS+=($AGENT)
        for _ in $(seq 100); do curl -sf http://127.0.0.1:18888/healthz > /dev/null && break; sleep 0.1; done
        # Measured after a warm-up of one decision wait and two seconds, when spans are decided as
        # fast as they arrive and the memory they take has stopped growing.
        local cpu0 cpu1 acc0 accepted in_memory warm=7
        "$BIN/otelsw-bench" grpc-load --port 14317 --payload "$OUT/traces_sampled.pb" --seconds $((DURATION + warm)) --concurrency "$CONNS" --fresh-trace-ids > /dev/null &
        local load=$!
        sleep "$warm"
        cpu0=$(cpu_seconds "$AGENT")
        acc0=$(metric otelsw_receiver_accepted_spans_total 'transport="grpc"')
        wait "$load"
        cpu1=$(cpu_seconds "$AGENT")
        accepted=$(( $(metric otelsw_receiver_accepted_spans_total 'transport="grpc"') - acc0 ))
        in_memory=$(metric otelsw_processor_tail_sampling_traces_in_memory '')
        SAMPLING_RSS=$(peak_rss_mib "$AGENT")
        SAMPLING_RATE=$(awk -v a="$accepted" -v d="$DURATION" 'BEGIN { printf "%.0f", a / d }')
        awk -v label="$1" -v a="$accepted" -v d="$DURATION" -v c0="$cpu0" -v c1="$cpu1" -v rss="$SAMPLING_RSS" -v m="$in_memory" 'BEGIN {
            printf "%-26s %8.0f spans/s  CPU %.2f s per million spans  peak RSS %s MiB  (traces in memory at the end: %d)\n",
                label, a / d, (c1 - c0) / (a / 1e6), rss, m }'
        stop_agent
    }
    echo "== tail sampling: OTLP/gRPC in, 10 spans per trace, decision_wait 5s, errors + 10% kept, ${DURATION}s"
    run_sampling "batch only (baseline)" "batch"
    BASE_RSS=$SAMPLING_RSS
    run_sampling "tail_sampling → batch" "tail_sampling, batch"
    awk -v base="$BASE_RSS" -v rss="$SAMPLING_RSS" -v rate="$SAMPLING_RATE" -v own="$SPAN_BYTES" 'BEGIN {
        spans = rate * 5; per = (rss - base) * 1048576 / spans
        printf "   in flight ~%.0f spans; memory per in-flight span %.0f bytes (its encoded size is %d bytes, so %.0f beyond it)\n", spans, per, own, per - own }'
fi

# ---- metrics path: scrape → remote-write, otelsw next to Prometheus in agent mode -----------------
if [ -z "$ONLY" ] || [ "$ONLY" = metrics ]; then
    PROM_SECONDS=$((DURATION * 2))
    echo "== metrics: scrape one target serving $SERIES series every second → remote-write sink, ${PROM_SECONDS}s"
    "$BIN/otelsw-bench" prom-target --port 19100 --series "$SERIES" > "$OUT/target.log" 2>&1 &
    PIDS+=($!)
    TARGET_PID=$!
    "$BIN/otelsw-bench" rw-sink --port 19201 > "$OUT/rw-sink.log" 2>&1 &
    SINK_PID=$!
    sink_samples() { curl -s http://127.0.0.1:19202/ | awk '$1 == "samples" { print $2 }'; }
    for _ in $(seq 100); do curl -sf http://127.0.0.1:19202/ > /dev/null && curl -sf http://127.0.0.1:19100/metrics > /dev/null && break; sleep 0.1; done

    measure() { # $1 = label, $2 = pid; prints samples/s, CPU-seconds per million samples, peak RSS
        sleep 5   # warm up: first scrapes, connections, caches
        local cpu0 s0 cpu1 s1
        cpu0=$(cpu_seconds "$2"); s0=$(sink_samples)
        sleep "$PROM_SECONDS"
        cpu1=$(cpu_seconds "$2"); s1=$(sink_samples)
        awk -v label="$1" -v c0="$cpu0" -v c1="$cpu1" -v s0="$s0" -v s1="$s1" -v d="$PROM_SECONDS" -v rss="$(peak_rss_mib "$2")" 'BEGIN {
            n = s1 - s0
            printf "%-22s %8.0f samples/s delivered  CPU %.2f s per million samples  peak RSS %s MiB\n", label, n / d, (n > 0 ? (c1 - c0) / (n / 1e6) : 0), rss }'
    }

    cat > "$OUT/prom-bench.yaml" <<YAML
receivers:
  prometheus:
    config:
      scrape_configs:
        - job_name: bench
          scrape_interval: 1s
          static_configs:
            - targets: [127.0.0.1:19100]
exporters:
  prometheusremotewrite:
    endpoint: http://127.0.0.1:19201/api/v1/write
service:
  telemetry:
    metrics:
      address: 127.0.0.1:18888
  pipelines:
    metrics:
      receivers: [prometheus]
      exporters: [prometheusremotewrite]
YAML
    "$BIN/otelsw" --pipeline "$OUT/prom-bench.yaml" > "$OUT/otelsw-prom.log" 2>&1 &
    AGENT=$!
    measure "otelsw" "$AGENT"
    kill "$AGENT"; wait "$AGENT" 2>/dev/null || true

    if command -v prometheus > /dev/null; then
        cat > "$OUT/prom-agent.yml" <<YAML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: bench
    static_configs:
      - targets: [127.0.0.1:19100]
remote_write:
  - url: http://127.0.0.1:19201/api/v1/write
YAML
        prometheus --enable-feature=agent --config.file="$OUT/prom-agent.yml" --storage.agent.path="$OUT/prom-agent-data" \
            --web.listen-address=127.0.0.1:19090 --log.level=warn > "$OUT/prom-agent.log" 2>&1 &
        PROM=$!
        measure "Prometheus agent $(prometheus --version 2>&1 | awk 'NR == 1 { print $3 }')" "$PROM"
        kill "$PROM"; wait "$PROM" 2>/dev/null || true
    else
        echo "prometheus is not installed: skipping the Prometheus agent comparison"
    fi
    kill "$TARGET_PID" "$SINK_PID" 2>/dev/null || true
fi

# ---- logs path: tail a JSON-lines file from the beginning into a discarding exporter -------------
if [ -z "$ONLY" ] || [ "$ONLY" = logs ]; then
    echo "== logs: tail a ${LOG_MB} MiB JSON-lines file from the beginning → nop exporter"
    LINES=$("$BIN/otelsw-bench" log-file --out "$OUT/app.log" --megabytes "$LOG_MB")
    cat "$OUT/app.log" > /dev/null   # page-cached, as the reference numbers were measured
    run_logs() { # $1 = label, $2 = operators (YAML, indented for the receiver)
        cat > "$OUT/logs-bench.yaml" <<YAML
receivers:
  filelog:
    include: [$OUT/app.log]
    start_at: beginning
$2
exporters:
  nop:
service:
  telemetry:
    metrics:
      address: 127.0.0.1:18888
  pipelines:
    logs:
      receivers: [filelog]
      exporters: [nop]
YAML
        "$BIN/otelsw" --pipeline "$OUT/logs-bench.yaml" > "$OUT/otelsw-logs.log" 2>&1 &
        AGENT=$!
        PIDS+=("$AGENT")
        local start end cpu done_lines=0
        start=$(date +%s.%N)
        for _ in $(seq 6000); do
            done_lines=$(metric otelsw_receiver_accepted_log_records_total 'receiver="filelog"' || true)
            [ "${done_lines:-0}" -ge "$LINES" ] && break
            sleep 0.1
        done
        end=$(date +%s.%N)
        cpu=$(cpu_seconds "$AGENT")
        awk -v label="$1" -v n="$LINES" -v got="$done_lines" -v t0="$start" -v t1="$end" -v cpu="$cpu" -v rss="$(peak_rss_mib "$AGENT")" 'BEGIN {
            printf "%-22s %9.0f lines/s  CPU %.2f s per million lines  peak RSS %s MiB  (%d of %d lines)\n", label, got / (t1 - t0), cpu / (got / 1e6), rss, got, n }'
        kill "$AGENT"; wait "$AGENT" 2>/dev/null || true
    }
    run_logs "raw lines" ""
    run_logs "JSON-parsed" "    operators:
      - type: json_parser
        timestamp:
          parse_from: attributes.time
          layout: '%Y-%m-%dT%H:%M:%S.%fZ'
        severity:
          parse_from: attributes.level"
fi
