#!/usr/bin/env bash
# Fuzzes the node's HTTP request handling with libFuzzer (and AddressSanitizer): each input is
# the raw bytes of one connection, fed through NIO's HTTP/1 parser, Hummingbird's HTTP/1
# handler and the real router, routes and middleware, in front of an in-memory node.
#   scripts/fuzz-http.sh [RUNS]        default 1000000 executions
# The corpus grows in .build-fuzz-http/corpus, seeded from Fuzz/HTTPRequests/corpus and
# regressions. libFuzzer stops at the first crash and writes the input to
# .build-fuzz-http/crash-*: keep it in Fuzz/HTTPRequests/regressions and turn it into a case
# of HTTPRegressionTests before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
# --sanitize=fuzzer makes SwiftPM link libFuzzer's main instead of an entry point of its own;
# the -Xswiftc flag is what reaches the compiler for every Swift module (two --sanitize
# options reach it as one). -O because sanitizer coverage of unoptimised NIO is slow, and
# -Xcc instruments the C targets (NIO's llhttp parser among them) as well.
swift build -c debug --package-path Fuzz/HTTPRequests --scratch-path .build-fuzz-http \
    --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -O \
    -Xcc -fsanitize=fuzzer-no-link,address
mkdir -p .build-fuzz-http/corpus
cd .build-fuzz-http
# The Swift runtime's own crash handler would race libFuzzer's and trip AddressSanitizer.
# -detect_leaks=0: tasks and event-loop work outlive each input by a little, so libFuzzer
# would run a full leak scan after nearly every input (about 4 ms, six times the input).
SWIFT_BACKTRACE=enable=no ./debug/HTTPRequestsFuzz -runs="$runs" -max_len=4096 -timeout=10 -detect_leaks=0 \
    -dict=../Fuzz/HTTPRequests/http.dict -print_final_stats=1 \
    corpus ../Fuzz/HTTPRequests/corpus ../Fuzz/HTTPRequests/regressions
