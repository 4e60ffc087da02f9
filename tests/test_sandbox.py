"""Model-written code runs in a sandbox: the exploit cases of issue 15, each through a real CodeAgent.

Every case asserts what matters: no file outside the run folder is written, no secret outside it reaches the
model, no command runs, and the agent goes on (tools still work and their images still reach the model).
The OS layers (Landlock, seccomp) are also probed directly, without smolagents' interpreter in front.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PIL import Image
from scripted_model import ScriptedModel, code
from test_codeagent import PaintTool

from agentvision.codeagent import make_agent
from agentvision.errors import InputError
from agentvision.sandbox import SandboxExecutor, SandboxLimits
from agentvision.sandbox.confine import _probe
from agentvision.toolcontext import ToolContext, ToolInputError
from agentvision.tools import make_tool

ROOT = Path(__file__).resolve().parents[1]
LANDLOCK, SECCOMP = _probe()
needs_os_layers = pytest.mark.skipif(not (LANDLOCK and SECCOMP), reason="needs Linux with Landlock and seccomp")
SECRET = "s3cr3t-key-9f8e7d"
TIGHT = SandboxLimits(step_cpu_s=1, step_wall_s=4, memory_mb=512)


class Evil:
    """A pickle that runs a command when loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A run folder, a secret file and a secret variable outside it, and a marker no code may create."""
    run = tmp_path / "run"
    run.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    monkeypatch.setenv("AGENTVISION_API_KEY", SECRET)
    return run, secret, tmp_path / "marker"


def everything_the_model_read(model: ScriptedModel) -> str:
    return "\n".join(m.text for call in model.calls for m in call)


def files_outside(tmp_path: Path, run: Path) -> set[str]:
    return {str(p) for p in tmp_path.rglob("*") if run not in p.parents and p != run}


def run_agent(steps: list[str], run: Path, imports=(), limits=TIGHT):
    model = ScriptedModel([code(s) for s in steps] + [code('final_answer("done")')])
    agent = make_agent(
        model,
        [PaintTool()],
        context=ToolContext(out_dir=run),
        limits=limits,
        max_steps=len(steps) + 2,
        verbosity_level=-1,
        additional_authorized_imports=list(imports),
    )
    try:
        answer = agent.run("try everything")
    finally:
        agent.cleanup()
    return model, agent, answer


def test_escapes_through_the_interpreter_fail_and_the_agent_goes_on(place, tmp_path):
    run, secret, marker = place
    before = files_outside(tmp_path, run)
    escapes = [
        f"open({str(secret)!r}).read()",
        f"open({str(marker)!r}, 'w').write('x')",
        f"import os\nos.system('touch {marker}')",
        f"import subprocess\nsubprocess.run(['touch', '{marker}'])",
        "__import__('os').environ",
        f"import numpy as np\nnp.save({str(marker)!r}, np.zeros(3))",
        "import posix",
        "import io",
        'print(paint(colour="green"))',
    ]
    model, agent, answer = run_agent(escapes, run)
    assert answer == "done"
    seen = everything_the_model_read(model)
    assert SECRET not in seen
    assert "Import of os is not allowed" in seen and "Import of numpy is not allowed" in seen
    assert not marker.exists() and files_outside(tmp_path, run) == before
    assert "painted green" in seen and len(model.calls[-1][-1].images) == 1  # tools and images still work


@pytest.mark.slow
def test_limits_stop_a_long_loop_a_sleep_and_a_memory_bomb(place, tmp_path):
    run, _, _ = place
    steps = [
        "total = 0\nfor i in range(10**9):\n    total += i",  # the 70 s loop: stopped at 1 s of CPU
        "import time\ntime.sleep(60)",  # no CPU used: stopped at 4 s of wall time
        "blob = 'a' * (3 * 1024**3)",  # past the 512 MiB address space
        "kept = 41",
        "print(kept + 1)\nprint(paint(colour='red'))",
    ]
    started = time.monotonic()
    model, agent, answer = run_agent(steps, run)
    assert time.monotonic() - started < 60  # each was stopped, far short of what it asked for
    seen = [call[-1].text for call in model.calls[1:]]
    assert "CPU time" in seen[0] and "restarted" not in seen[0]
    assert "restarted" in seen[1] and "4 s limit" in seen[1]  # the loop's sandbox was replaced; then the sleep's
    assert "MemoryError" in seen[2]  # an allocation failure, not a dead sandbox
    assert "42" in seen[4] and "painted red" in seen[4]  # state kept after a MemoryError, tools still work
    assert agent.python_executor.restarts == 2


@pytest.mark.slow
def test_tool_call_count_message_size_and_overall_cpu_are_bounded(place):
    run, _, _ = place
    limits = SandboxLimits(step_cpu_s=2, step_wall_s=10, tool_calls=3, message_mb=0.5, total_cpu_s=1)
    steps = [
        "for i in range(10):\n    paint(colour='blue')",
        "final_answer('x' * 2_000_000)",
        "for i in range(10**9):\n    pass",
        "print('after the budget')",
    ]
    model, agent, _ = run_agent(steps, run, limits=limits)
    seen = [call[-1].text for call in model.calls[1:]]
    assert "more than 3 tool calls" in seen[0]
    assert "too much data" in seen[1] or "too large" in seen[1]
    assert "has used its 1 s of CPU time" in seen[3]


@needs_os_layers
def test_numpy_when_authorized_still_cannot_touch_files_or_run_commands(place, tmp_path):
    """numpy's file and pickle functions were the way out (issue 15): with numpy authorized, the OS layers hold."""
    run, secret, marker = place
    evil = tmp_path / "evil.npy"
    with evil.open("wb") as f:
        pickle.dump(Evil(marker), f)
    before = files_outside(tmp_path, run)
    steps = [
        f"import numpy as np\nnp.save({str(marker)!r}, np.zeros(3))",
        f"np.zeros(3).tofile({str(marker)!r})",
        f"np.savetxt({str(marker)!r}, np.zeros(3))",
        "print(np.fromfile('/proc/self/environ', dtype=np.uint8).tobytes())",
        f"print(np.fromfile({str(secret)!r}, dtype=np.uint8).tobytes())",
        f"np.load({str(evil)!r}, allow_pickle=True)",
        f"print(np.loadtxt({str(secret)!r}, dtype=str))",
        f"np.save({str(run / 'inside.npy')!r}, np.zeros(3))",  # not even the run folder: tools write there
        "print(int(np.arange(5).sum()))",
    ]
    model, _, answer = run_agent(steps, run, imports=["numpy"])
    seen = everything_the_model_read(model)
    assert answer == "done" and "Permission denied" in seen
    assert SECRET not in seen and not marker.exists() and not (run / "inside.npy").exists()
    assert files_outside(tmp_path, run) == before
    assert "10" in model.calls[-1][-1].text  # numpy itself works


PROBE = """
import json, os, socket, sys, resource
sys.path.insert(0, sys.argv[1])
from agentvision.sandbox import confine
marker, secret = sys.argv[2], sys.argv[3]
confine.confine(memory_mb=512, total_cpu_s=30, readable=confine.readable_paths(["json"]))
out = {}
def attempt(name, fn):
    try:
        fn()
        out[name] = "allowed"
    except BaseException as e:
        out[name] = type(e).__name__
attempt("read secret", lambda: open(secret).read())
attempt("read environ", lambda: open("/proc/self/environ").read())
attempt("list home", lambda: os.listdir(os.path.expanduser("~")))
attempt("write", lambda: open(marker, "w").write("x"))
attempt("execv", lambda: os.execv("/bin/touch", ["touch", marker]))
attempt("fork", os.fork)
attempt("posix_spawn", lambda: os.posix_spawn("/bin/touch", ["touch", marker], {}))
attempt("tcp", lambda: socket.socket().connect(("127.0.0.1", 9)))
attempt("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9)))
attempt("signal parent", lambda: os.kill(os.getppid(), 0))
attempt("raise memory limit", lambda: resource.setrlimit(resource.RLIMIT_AS, (2**40, 2**40)))
attempt("import stdlib", lambda: __import__("fractions"))
os.write(int(sys.argv[4]), json.dumps(out).encode())
"""


@needs_os_layers
def test_the_os_layers_confine_any_python_code(tmp_path):
    """Code that got past the interpreter (a bug in it) still reads, writes and runs nothing."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    marker = tmp_path / "marker"
    r, w = os.pipe()
    proc = subprocess.run(
        [sys.executable, "-I", "-c", PROBE, str(ROOT), str(marker), str(secret), str(w)],
        pass_fds=(w,),
        env={},
        timeout=60,
        capture_output=True,
    )
    os.close(w)
    with os.fdopen(r) as f:
        out = json.loads(f.read() or "{}")
    assert proc.returncode == 0, proc.stderr.decode()
    denied = {k for k, v in out.items() if v != "allowed"}
    assert denied == set(out) - {"import stdlib"}, out
    assert not marker.exists()


@pytest.mark.slow
def test_the_sandbox_dies_with_its_parent(tmp_path):
    """kill -9 of the agent's process takes the sandbox with it, even mid-step."""
    script = textwrap.dedent(
        f"""
        import sys, threading, time
        sys.path.insert(0, {str(ROOT)!r})
        from agentvision.sandbox import SandboxExecutor, SandboxLimits
        ex = SandboxExecutor(limits=SandboxLimits(step_cpu_s=120, step_wall_s=120))
        ex.send_tools({{}})
        threading.Thread(target=ex, args=("while True:\\n    pass",), daemon=True).start()
        while ex._proc is None:
            time.sleep(0.05)
        print(ex._proc.pid, flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child):
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_strict_mode_and_limits_are_checked():
    with pytest.raises(InputError, match="step_cpu_s"):
        SandboxLimits(step_cpu_s=0)
    with pytest.raises(InputError, match="memory_mb"):
        SandboxLimits(memory_mb=64)
    executor = SandboxExecutor(strict=True)
    executor.send_tools({})
    if LANDLOCK and SECCOMP:
        assert executor("1 + 1").output == 2
        assert executor.confinement["landlock_abi"] >= 1 and executor.confinement["seccomp"]
    executor.cleanup()


def test_image_tools_read_only_the_run_folder(tmp_path):
    run = tmp_path / "run"
    ctx = ToolContext(out_dir=run)
    run.mkdir()
    outside = tmp_path / "private.png"
    Image.new("RGB", (8, 8), (200, 10, 10)).save(outside)
    (run / "link.png").symlink_to(outside)
    for name in ("image_info", "crop_zoom", "edge_map", "composition_analysis"):
        tool = make_tool(name, context=ctx)
        kwargs = {"box": "0,0,1,1"} if name == "crop_zoom" else {}
        for path in (outside, run / "link.png", run / ".." / "private.png"):
            with pytest.raises(ToolInputError, match="outside the folders tools may read"):
                tool(image=str(path), **kwargs)
    assert len(ctx.outbox) == 0  # nothing reached the model
    compare = make_tool("compare_images", context=ctx)
    with pytest.raises(ToolInputError, match="outside"):
        compare(image_a=str(outside), image_b=str(outside))
    ctx.allow_read(outside)  # what a user attaches (chat's /image) becomes readable
    assert json.loads(make_tool("image_info", context=ctx)(image=str(outside)))["width"] == 8


def test_scene_files_outside_the_readable_folders_are_refused(tmp_path):
    ctx = ToolContext(out_dir=tmp_path / "run")
    elsewhere = tmp_path / "elsewhere.glb"
    elsewhere.write_bytes(b"glTF")
    with pytest.raises(ToolInputError, match="scene file .* is outside"):
        make_tool("scene_objects", context=ctx)(scene=str(elsewhere))
    with pytest.raises(Exception, match="unknown scene"):
        make_tool("scene_objects", context=ctx)(scene="unicorn")
    assert "sofa" in make_tool("scene_objects", context=ctx)(scene="living_room")
