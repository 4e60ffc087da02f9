"""The bench on a real multi-node Ray cluster started by the test: a head and a second node on other ports,
each with its own temporary folder; the run folders come back to the driver through Ray's object store."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two Ray nodes start: tens of seconds

ray = pytest.importorskip("ray")
ROOT = Path(__file__).resolve().parents[1]
RAY = Path(sys.executable).with_name("ray")
MISSIONS = ["living-armchair-right-third", "staircase-dusk-wide"]


def free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


WORKER_PORTS = 200  # each node's range of worker ports, from its min port


def cluster_ports() -> list[int]:
    """16 free ports for the two nodes (2 and 9 start the worker ranges) such that no named port falls inside a
    worker range and the ranges do not overlap: Ray refuses to start when they collide."""
    for _ in range(50):
        ports = free_ports(16)
        ranges = [(ports[2], ports[2] + WORKER_PORTS), (ports[9], ports[9] + WORKER_PORTS)]
        named = [p for i, p in enumerate(ports) if i not in (2, 9)]
        apart = ranges[0][1] < ranges[1][0] or ranges[1][1] < ranges[0][0]
        if apart and not any(lo <= p <= hi for p in named for lo, hi in ranges):
            return ports
    raise RuntimeError("no 16 free ports whose worker ranges keep clear of the named ports")


def start_node(args: list[str], tmp: Path, log: Path) -> subprocess.Popen:
    """``ray start --block`` in its own process group, with its own TMPDIR (where its workers' runs go)."""
    tmp.mkdir(parents=True)
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT), "RAY_USAGE_STATS_ENABLED": "0"}
    env["RAY_AUTH_MODE"] = "disabled"  # a loopback test cluster; the driver (this process) connects without a token
    return subprocess.Popen(
        [str(RAY), "start", "--block", "--num-cpus", "1", "--disable-usage-stats", "--node-ip-address", "127.0.0.1"]
        + args,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    """End the node this test started (its process group), and nothing else."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def node_ports(ports: list[int]) -> list[str]:
    names = ["--node-manager-port", "--object-manager-port", "--dashboard-agent-listen-port"]
    names += ["--dashboard-agent-grpc-port", "--metrics-export-port", "--runtime-env-agent-port"]
    return [x for name, port in zip(names, ports, strict=True) for x in (name, str(port))]


@pytest.fixture(scope="module")
def cluster():
    base = Path(tempfile.mkdtemp(prefix="avray-", dir="/tmp"))  # short: Ray's socket paths must stay short
    ports = cluster_ports()
    address = f"127.0.0.1:{ports[0]}"
    head = start_node(
        ["--head", "--port", str(ports[0]), "--include-dashboard", "false", "--temp-dir", str(base / "ray")]
        + ["--min-worker-port", str(ports[2])]
        + ["--max-worker-port", str(ports[2] + WORKER_PORTS), *node_ports(ports[3:9])],
        base / "node1",
        base / "head.log",
    )
    nodes = [head]
    try:
        deadline = time.time() + 120
        while subprocess.run([str(RAY), "status", "--address", address], capture_output=True).returncode != 0:
            assert head.poll() is None and time.time() < deadline, (base / "head.log").read_text()[-3000:]
            time.sleep(2)
        nodes.append(
            start_node(
                [
                    "--address",
                    address,
                    "--min-worker-port",
                    str(ports[9]),
                    "--max-worker-port",
                    str(ports[9] + WORKER_PORTS),
                ]
                + node_ports(ports[10:16]),
                base / "node2",
                base / "node2.log",
            )
        )
        while "2 node" not in (status := status_text(address)) and _count_nodes(status) < 2:
            assert nodes[1].poll() is None and time.time() < deadline, (base / "node2.log").read_text()[-3000:]
            time.sleep(2)
        yield address, base
    finally:
        for node in reversed(nodes):
            stop(node)


def status_text(address: str) -> str:
    return subprocess.run([str(RAY), "status", "--address", address], capture_output=True, text=True).stdout


def _count_nodes(status: str) -> int:
    active = status.split("Active:")[1].split("Pending:")[0] if "Active:" in status else ""
    return sum(1 for line in active.splitlines() if "node_" in line)


DRIVER = """
import json, sys
from agentvision.bench import runner
from agentvision.cli import main
import agentvision.commands.bench as command

seen = []
execute = runner.execute
command.execute = lambda todo, workers, address, on_row: execute(
    todo, workers, address, lambda row: (seen.append({k: str(v) for k, v in row.items()}), on_row(row))
)
code = main(sys.argv[2:])
open(sys.argv[1], "w").write(json.dumps(seen))
sys.exit(code)
"""


def test_the_bench_on_a_two_node_cluster_brings_every_run_folder_back(cluster, tmp_path):
    """The driver runs in a process of its own, as the command does (a process that has run another Ray
    instance before keeps that node's address and cannot reach this cluster's workers)."""
    address, base = cluster
    from agentvision.bench.missions import shipped_missions_dir

    missions = [str(shipped_missions_dir() / f"{m}.yaml") for m in MISSIONS]
    out = tmp_path / "bench"
    args = ["bench", *missions, "--strategies", "one-shot,random", "--rounds", "1", "--candidates", "2"]
    args += ["--width", "96", "--seeds", "1", "--ray", address, "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_AUTH_MODE": "disabled"}
    seen_file = tmp_path / "rows.json"
    driver = subprocess.run(
        [sys.executable, "-c", DRIVER, str(seen_file), *args], env=env, capture_output=True, text=True, timeout=600
    )
    assert driver.returncode == 0, driver.stderr[-3000:]
    with (out / "results.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 and all(r["error"] == "" for r in rows)
    for row in rows:
        run = Path(row["run_dir"])
        assert run.is_relative_to(out) and row["mission_file"] in missions
        for name in ("photo.png", "camera.json", "trace.jsonl", "report.md"):
            assert (run / name).is_file(), (run, name)
        assert (run / "rounds").is_dir()
    # Each worker ran in its own node's temporary folder, which it removed once the run was sent back.
    worker_dirs = [Path(r["worker_dir"]) for r in json.loads(seen_file.read_text())]
    homes = {d.parent for d in worker_dirs}
    assert homes <= {base / "node1", base / "node2"} and len(homes) == 2  # both nodes took work
    assert not any(d.exists() for d in worker_dirs)
