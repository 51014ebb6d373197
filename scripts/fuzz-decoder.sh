#!/usr/bin/env bash
# Fuzzes GridCore's peer-message and metadata decoders with libFuzzer (and AddressSanitizer).
#   scripts/fuzz-decoder.sh [RUNS]        default 10000000 executions
# The corpus grows in .build/fuzz/corpus. libFuzzer stops at the first crash and writes the
# input to .build/fuzz/crash-*: turn it into a case of WireCodecTests before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10000000}
mkdir -p .build/fuzz/corpus
swiftc -swift-version 6 -O -sanitize=fuzzer,address -parse-as-library \
    -module-name GridCore -emit-module -emit-module-path .build/fuzz/GridCore.swiftmodule \
    -emit-library -static -o .build/fuzz/libGridCore.a Sources/GridCore/*.swift
swiftc -swift-version 6 -O -sanitize=fuzzer,address -parse-as-library \
    -I .build/fuzz Fuzz/PeerMessageDecoder/Fuzz.swift .build/fuzz/libGridCore.a -o .build/fuzz/decoder
cd .build/fuzz
./decoder -runs="$runs" -max_len=4096 -print_final_stats=1 corpus
