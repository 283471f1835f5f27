"""Closed-loop load with Debian's ``wrk`` (C, one thread on the load core).

wrk, not Python, drives the closed-loop runs: the page ceiling (a minimal
Starlette endpoint) answers thousands of requests a second, and a Python
generator on one core would be the bottleneck there, which would make the
ceiling look low and every ratio look good.

Two shapes, both through a generated Lua script that reports JSON:
- ``cycle``: GETs over a list of (path, headers), round robin;
- ``replay``: pre-signed POSTs, each sent once; the thread stops when they
  run out, and the run says so (the rate is then a lower bound).
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.loadgen import PreparedRequest
from bench.processes import LOAD_CORE, Process, pinned

_REPORT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local merged = {}
  local sent = 0
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do merged[status] = (merged[status] or 0) + count end
    sent = sent + (thread:get("sent") or 0)
  end
  local parts = {}
  for status, count in pairs(merged) do table.insert(parts, string.format('"%d": %d', status, count)) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d,'
    .. ' "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d},'
    .. ' "statuses": {%s}, "sent": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", "), sent))
end
"""

_CYCLE = r"""
statuses = {}
sent = 0
local requests = {}
function init(args)
  for line in io.lines(__FILE__) do
    local method, path, headers = line:match("^(%S+)\t(%S+)\t(.*)$")
    local h = {}
    for name, value in headers:gmatch("([^\t:]+): ([^\t]*)") do h[name] = value end
    table.insert(requests, wrk.format(method, path, h))
  end
end
local i = 0
function request()
  i = i % #requests + 1
  sent = sent + 1
  return requests[i]
end
"""

_REPLAY = r"""
statuses = {}
sent = 0
local requests = {}
function init(args)
  for line in io.lines(__FILE__) do
    local path, host, date, digest, signature, body =
      line:match("^(%S+)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    table.insert(requests, wrk.format("POST", path, {
      ["Host"] = host, ["Date"] = date, ["Digest"] = digest, ["Signature"] = signature,
      ["Content-Type"] = "application/activity+json"}, body))
  end
end
local i = 0
function request()
  i = i + 1
  if i > #requests then
    if __REPEAT__ then
      i = 1
    else
      wrk.thread:stop()
      i = #requests
    end
  end
  sent = sent + 1
  return requests[i]
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    statuses: dict[int, int] = field(default_factory=dict)
    exhausted: bool = False  # replay ran out of requests before the time was up
    # CPU the server used during the run: per request it is far steadier than
    # req/s on a shared machine (another tenant's load shows up as wall time).
    server_cpu_seconds: float = float("nan")

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_seconds / self.requests * 1000 if self.requests else float("nan")

    def ok(self, statuses: frozenset[int] = frozenset({200, 201, 202})) -> int:
        return sum(count for status, count in self.statuses.items() if status in statuses)

    def rps(self, statuses: frozenset[int] = frozenset({200, 201, 202})) -> float:
        return self.ok(statuses) / self.seconds if self.seconds else 0.0

    @property
    def socket_errors(self) -> int:
        return sum(value for name, value in self.errors.items() if name != "status")

    def summary(self) -> dict[str, object]:
        return {
            "requests": self.requests, "seconds": round(self.seconds, 2), "rps": round(self.rps(), 1),
            "p50_ms": round(self.p50_ms, 2), "p90_ms": round(self.p90_ms, 2), "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2), "statuses": self.statuses, "errors": self.errors,
            "exhausted": self.exhausted, "server_cpu_s": round(self.server_cpu_seconds, 3),
            "server_cpu_ms_per_request": round(self.cpu_ms_per_request, 3),
        }


def available() -> bool:
    return shutil.which("wrk") is not None


def _escape_lua_path(path: Path) -> str:
    return str(path).replace("\\", "\\\\").replace('"', '\\"')


def _script(workdir: Path, name: str, body: str, data_lines: list[str]) -> Path:
    data = workdir / f"{name}.data"
    data.write_text("\n".join(data_lines) + "\n")
    script = workdir / f"{name}.lua"
    script.write_text(body.replace("__FILE__", f'"{_escape_lua_path(data)}"') + _REPORT)
    return script


def _run(
    base_url: str, script: Path, *, connections: int, seconds: float, server: Process | None = None
) -> WrkResult:
    command = pinned(
        ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
         "-s", str(script), base_url],
        LOAD_CORE,
    )
    cpu_before = server.cpu_seconds() if server is not None else float("nan")
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    cpu = server.cpu_seconds() - cpu_before if server is not None else float("nan")
    line = next((line for line in result.stdout.splitlines() if line.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no report (exit {result.returncode}): {result.stderr.strip() or result.stdout}")
    data = json.loads(line.removeprefix("WRKJSON "))
    return WrkResult(
        requests=data["requests"], seconds=data["duration_us"] / 1e6, p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000, p99_ms=data["p99_us"] / 1000, max_ms=data["max_us"] / 1000,
        errors=data["errors"], statuses={int(k): v for k, v in data["statuses"].items()},
        server_cpu_seconds=cpu,
    )


def cycle(
    workdir: Path, name: str, requests: list[PreparedRequest], *, connections: int, seconds: float,
    server: Process | None = None,
) -> WrkResult:
    """GET the requests round robin, closed loop, for ``seconds``."""
    base = requests[0].url
    parts = urlsplit(base)
    lines = []
    for request in requests:
        target = urlsplit(request.url)
        path = target.path + (f"?{target.query}" if target.query else "")
        headers = "\t".join(f"{key}: {value}" for key, value in request.headers.items())
        lines.append(f"{request.method}\t{path}\t{headers}")
    script = _script(workdir, name, _CYCLE, lines)
    return _run(f"{parts.scheme}://{parts.netloc}", script, connections=connections, seconds=seconds, server=server)


def replay(
    workdir: Path, name: str, requests: list[PreparedRequest], *, connections: int, seconds: float,
    repeat: bool = False, server: Process | None = None,
) -> WrkResult:
    """Send each pre-signed POST once, closed loop, for at most ``seconds``
    (``repeat``: start over when they run out, for the ceiling, which keeps no ids)."""
    parts = urlsplit(requests[0].url)
    lines = []
    for request in requests:
        target = urlsplit(request.url)
        body = (request.body or b"").decode()
        if "\t" in body or "\n" in body:
            raise ValueError("replayed bodies must be one line without tabs")
        h = request.headers
        # The Host that was signed, even when the requests go to another server (the ceiling).
        lines.append(f"{target.path}\t{h['Host']}\t{h['Date']}\t{h['Digest']}\t{h['Signature']}\t{body}")
    script = _script(workdir, name, _REPLAY.replace("__REPEAT__", "true" if repeat else "false"), lines)
    result = _run(f"{parts.scheme}://{parts.netloc}", script, connections=connections, seconds=seconds,
                  server=server)
    result.exhausted = not repeat and result.requests >= len(requests)
    return result
