#!/usr/bin/env python3
"""Small HTTP helpers for scripts/bench-compare.sh (Python 3 standard library only).

  free-ports N                          N free TCP ports on 127.0.0.1, one a line
  gg-wait --deadline S URL...           wait until every node's /cluster/status shows a formed cluster
  gg-preload --url URL --count N --bytes B --prefix P
                                        write P0..P(N-1) with POST /items
  gg-leader --url URL --key K           write K, then print "PARTITION LEADER_ID LEADER_HTTP"
  etcd-gateway --url URL                print the JSON gateway prefix that answers (/v3, /v3beta, /v3alpha)
  etcd-preload --url URL --prefix GW --count N --bytes B --key-prefix P
                                        put P0..P(N-1) through the JSON gateway
  etcd-leader                           read `etcdctl endpoint status -w json` on stdin, print the leader's endpoint
  kill-and-poll --pid PID --kind gg|etcd --url URL [--gateway GW] --key K --deadline S
                                        SIGKILL PID, then start a write through URL every
                                        --interval ms (attempts overlap) until one answers 200;
                                        print "MS SENT-MS ATTEMPTS ANSWER-COUNTS": when the first
                                        200 arrived, when that write was sent, writes sent, answers
Every failure exits non-zero with one line on stderr.
"""

import argparse
import base64
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse


def die(message):
    print(f"bench_client: {message}", file=sys.stderr)
    sys.exit(1)


def split_url(url):
    parsed = urllib.parse.urlsplit(url if "://" in url else "http://" + url)
    return parsed.hostname, parsed.port or 80


class Client:
    """One keep-alive HTTP/1.1 connection that reconnects after an error."""

    def __init__(self, url, timeout=5.0):
        self.host, self.port = split_url(url)
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None):
        headers = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, payload
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def one_request(url, method, path, body, timeout):
    client = Client(url, timeout)
    try:
        return client.request(method, path, body)
    finally:
        if client.conn is not None:
            client.conn.close()


def cmd_free_ports(args):
    sockets = []
    ports = []
    while len(ports) < args.count:
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.bind(("127.0.0.1", 0))
        port = tcp.getsockname()[1]
        # Also free for UDP, so the same numbers suit any server.
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind(("127.0.0.1", port))
        except OSError:
            tcp.close()
            continue
        sockets += [tcp, udp]
        ports.append(port)
    for s in sockets:
        s.close()
    print("\n".join(str(p) for p in ports))


def gg_formed(status):
    """None when the view is formed, else what is missing."""
    cluster = status.get("cluster", {})
    size = cluster.get("size")
    nodes = status.get("nodes", [])
    joined = [n for n in nodes if n.get("state") == "joined"]
    if size is None or len(joined) < size:
        return f"{len(joined)} of {size} nodes joined"
    partitions = status.get("partitions", [])
    if len(partitions) != cluster.get("partitions"):
        return f"{len(partitions)} of {cluster.get('partitions')} partitions listed"
    unled = [p["id"] for p in partitions if not p.get("leader")]
    if unled:
        return f"{len(unled)} partitions without a leader"
    locked = [p["id"] for p in partitions if p.get("locked") or p.get("phase") != "open"]
    if locked:
        return f"{len(locked)} partitions locked or not open"
    if any(n.get("locked_partitions") for n in nodes):
        return "a node reports locked_partitions"
    if status.get("handshakes"):
        return f"{len(status['handshakes'])} handshakes running"
    return None


def cmd_gg_wait(args):
    deadline = time.monotonic() + args.deadline
    clients = {url: Client(url, timeout=2.0) for url in args.urls}
    last = "no answer yet"
    while True:
        missing = None
        for url, client in clients.items():
            try:
                code, payload = client.request("GET", "/cluster/status")
            except (OSError, http.client.HTTPException) as error:
                missing = f"{url}: {error}"
                break
            if code != 200:
                missing = f"{url}: HTTP {code}"
                break
            problem = gg_formed(json.loads(payload))
            if problem:
                missing = f"{url}: {problem}"
                break
        if missing is None:
            return
        last = missing
        if time.monotonic() > deadline:
            die(f"GossipGrid cluster not formed within {args.deadline:g} s: {last}")
        time.sleep(0.1)


def cmd_gg_preload(args):
    client = Client(args.url)
    message = "x" * args.bytes
    for i in range(args.count):
        body = {"partition_key": f"{args.prefix}{i}", "message": message}
        for _ in range(50):
            code, payload = client.request("POST", "/items", body)
            if code == 200:
                break
            time.sleep(0.05)
        else:
            die(f"preload of {args.prefix}{i} failed: HTTP {code} {payload[:200]!r}")


def cmd_gg_leader(args):
    client = Client(args.url)
    code, payload = client.request("POST", "/items", {"partition_key": args.key, "message": "probe"})
    if code != 200:
        die(f"probe write failed: HTTP {code} {payload[:200]!r}")
    partition = json.loads(payload)["partition"]
    code, payload = client.request("GET", "/cluster/status")
    status = json.loads(payload)
    entry = next((p for p in status["partitions"] if p["id"] == partition), None)
    if entry is None or not entry.get("leader"):
        die(f"partition {partition} has no leader in {args.url}'s view")
    node = next((n for n in status["nodes"] if n["id"] == entry["leader"]), None)
    if node is None:
        die(f"leader {entry['leader']} of partition {partition} is not among the nodes")
    print(partition, node["id"], node["http"])


def etcd_b64(text):
    return base64.b64encode(text.encode()).decode()


def cmd_etcd_gateway(args):
    client = Client(args.url)
    for prefix in ("/v3", "/v3beta", "/v3alpha"):
        code, _ = client.request("POST", f"{prefix}/kv/range", {"key": etcd_b64("probe")})
        if code == 200:
            print(prefix)
            return
    die(f"no JSON gateway answered at {args.url} (tried /v3, /v3beta, /v3alpha)")


def cmd_etcd_preload(args):
    client = Client(args.url)
    value = etcd_b64("x" * args.bytes)
    for i in range(args.count):
        body = {"key": etcd_b64(f"{args.key_prefix}{i}"), "value": value}
        code, payload = client.request("POST", f"{args.prefix}/kv/put", body)
        if code != 200:
            die(f"etcd preload of {args.key_prefix}{i} failed: HTTP {code} {payload[:200]!r}")


def cmd_etcd_leader(_args):
    try:
        endpoints = json.load(sys.stdin)
    except json.JSONDecodeError as error:
        die(f"cannot read etcdctl's JSON: {error}")
    for entry in endpoints:
        status = entry.get("Status", {})
        if status.get("leader") and status.get("header", {}).get("member_id") == status["leader"]:
            print(entry["Endpoint"])
            return
    die("no endpoint reports itself as the leader")


def cmd_kill_and_poll(args):
    if args.kind == "gg":
        path = "/items"

        def body(n):
            return {"partition_key": args.key, "message": f"after-kill-{n}"}

        def succeeded(code, _payload):
            return code == 200
    else:
        path = f"{args.gateway}/kv/put"

        def body(n):
            return {"key": etcd_b64(args.key), "value": etcd_b64(f"after-kill-{n}")}

        def succeeded(code, payload):
            if code != 200:
                return False
            try:
                answer = json.loads(payload)
            except json.JSONDecodeError:
                return False
            return "header" in answer and "error" not in answer

    lock = threading.Lock()
    done = threading.Event()
    successes = []  # (end, start) offsets in seconds from the kill
    counts = {}
    trace = []

    def attempt(n, start):
        sent = time.monotonic()
        try:
            code, payload = one_request(args.url, "POST", path, body(n), args.attempt_timeout)
            label = str(code)
        except (OSError, http.client.HTTPException) as error:
            code, payload, label = None, b"", type(error).__name__
        ended = time.monotonic()
        with lock:
            counts[label] = counts.get(label, 0) + 1
            trace.append((sent - start, ended - start, label))
            if code is not None and succeeded(code, payload):
                successes.append((ended - start, sent - start))
                done.set()

    os.kill(args.pid, signal.SIGKILL)
    start = time.monotonic()
    deadline = start + args.deadline
    threads = []
    n = 0
    while not done.is_set() and time.monotonic() < deadline:
        threads = [t for t in threads if t.is_alive()]
        if len(threads) < args.max_in_flight:
            thread = threading.Thread(target=attempt, args=(n, start), daemon=True)
            thread.start()
            threads.append(thread)
            n += 1
        done.wait(args.interval / 1000)
    with lock:
        if args.trace:
            with open(args.trace, "w") as out:
                out.write("sent_ms answered_ms answer (unanswered attempts were still in flight)\n")
                for sent, ended, label in sorted(trace):
                    out.write(f"{sent * 1000:.0f} {ended * 1000:.0f} {label}\n")
        if not successes:
            die(f"no write answered 200 within {args.deadline:g} s of the kill (answers: {counts})")
        ended, sent = min(successes)
        answered = sum(counts.values())
        summary = ",".join(f"{k}:{v}" for k, v in sorted(counts.items()))
        # MS SENT_MS STARTED ANSWERS
        print(f"{ended * 1000:.0f} {sent * 1000:.0f} {n} {summary},in-flight:{n - answered}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("free-ports")
    p.add_argument("count", type=int)
    p.set_defaults(run=cmd_free_ports)

    p = sub.add_parser("gg-wait")
    p.add_argument("--deadline", type=float, default=60)
    p.add_argument("urls", nargs="+")
    p.set_defaults(run=cmd_gg_wait)

    p = sub.add_parser("gg-preload")
    p.add_argument("--url", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--bytes", type=int, default=100)
    p.add_argument("--prefix", default="r")
    p.set_defaults(run=cmd_gg_preload)

    p = sub.add_parser("gg-leader")
    p.add_argument("--url", required=True)
    p.add_argument("--key", required=True)
    p.set_defaults(run=cmd_gg_leader)

    p = sub.add_parser("etcd-gateway")
    p.add_argument("--url", required=True)
    p.set_defaults(run=cmd_etcd_gateway)

    p = sub.add_parser("etcd-preload")
    p.add_argument("--url", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--bytes", type=int, default=100)
    p.add_argument("--key-prefix", default="r")
    p.set_defaults(run=cmd_etcd_preload)

    p = sub.add_parser("etcd-leader")
    p.set_defaults(run=cmd_etcd_leader)

    p = sub.add_parser("kill-and-poll")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--kind", choices=["gg", "etcd"], required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--gateway", default="/v3")
    p.add_argument("--key", required=True)
    p.add_argument("--deadline", type=float, default=60)
    p.add_argument("--interval", type=float, default=20, help="milliseconds between attempts")
    p.add_argument("--attempt-timeout", type=float, default=10, help="seconds")
    p.add_argument("--max-in-flight", type=int, default=1000)
    p.add_argument("--trace", help="write every attempt's send and answer time to this file")
    p.set_defaults(run=cmd_kill_and_poll)

    args = parser.parse_args()
    try:
        args.run(args)
    except (OSError, http.client.HTTPException) as error:
        die(f"{args.command}: {error}")


if __name__ == "__main__":
    main()
