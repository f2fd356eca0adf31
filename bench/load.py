"""Load from outside the server: wrk runs, single probes, a streamed export, and worker memory from /proc."""

import csv
import http.client
import io
import re
import subprocess
import time
from dataclasses import dataclass, field

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Result:
    """One row of the table: a target served by one database at one size."""

    db: str
    cases: int
    target: str
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    cache: str = "off"  # "off": PAGE_CACHE=0; "warm": the page cache on (Redis) and filled before the load

    def row(self):
        keys = ("db", "cases", "target", "cache", "rps", "p50_ms", "p99_ms", "queries", "note")
        return {key: getattr(self, key) for key in keys} | self.extra


def probe(port, path, cookie=None, timeout=900):
    """(status, headers, body) of one GET on 127.0.0.1."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_until_up(port, path="/", timeout=120, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            probe(port, path, timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answered on port {port} within {timeout}s")


def drain(port):
    """Wait until both workers are free: after wrk stops, they still serve the requests it left queued."""
    quick = 0
    while quick < 2:
        started = time.monotonic()
        probe(port, "/__bench__/bare/")
        quick = quick + 1 if time.monotonic() - started < 0.5 else 0


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(port, path, seconds, connections, cookie=None):
    """{rps, p50_ms, p99_ms, errors} from one wrk run against 127.0.0.1 (one wrk thread: the cores are the server's)."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    completed = int(re.search(r"(\d+) requests in", out).group(1))
    for percent, key in (("50", "p50_ms"), ("99", "p99_ms")):
        match = re.search(rf"^\s+{percent}%\s+(\S+)", out, re.MULTILINE)
        found[key] = milliseconds(match.group(1)) if match and completed else None  # none finished: no latency
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: (.*)", out)
    found["errors"] = ", ".join(
        part
        for part in [errors and f"{errors.group(1)} non-2xx", socket and f"socket errors {socket.group(1)}"]
        if part
    )
    return found


def children(pid):
    """The worker processes of a gunicorn master."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(child) for child in fh.read().split()]
    except OSError:
        return []


def memory_kb(pid, key):
    """VmRSS or VmHWM (the peak) of a process, in kB."""
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    """Start the process's VmHWM again from its current size (Linux: clear_refs 5)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def export(port, path, workers):
    """{rows, rows_per_s, peak_growth_mb} of one streamed CSV download; the peak is the workers' VmHWM growth."""
    before = {pid: memory_kb(pid, "VmRSS") for pid in workers}
    peaks_reset = all(reset_peak(pid) for pid in workers)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    if response.status != 200:
        conn.close()
        return {"status": response.status}
    rows = sum(1 for _ in csv.reader(io.TextIOWrapper(response, encoding="utf-8", newline=""))) - 1  # less the header
    elapsed = time.perf_counter() - started
    conn.close()
    growth = max(memory_kb(pid, "VmHWM") - before[pid] for pid in workers) / 1024
    return {
        "status": 200,
        "rows": rows,
        "rows_per_s": rows / elapsed if elapsed else None,
        "seconds": elapsed,
        "peak_growth_mb": growth if peaks_reset else None,
    }
