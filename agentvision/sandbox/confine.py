"""What the sandbox's process does to itself before it runs any model-written code.

Each layer is applied when the platform offers it, and :func:`confine` reports which were:

- **rlimits** (POSIX): address space (``RLIMIT_AS``: allocations past it fail with MemoryError), CPU time
  (``RLIMIT_CPU``: a hard cap for the process's life; the soft cap is moved before each step), no file
  may grow (``RLIMIT_FSIZE`` 0), few open files, no core dumps. macOS does not enforce ``RLIMIT_AS``.
- **Landlock** (Linux 5.13+, through ``landlockpy``): the process may read the Python standard library and
  the packages it may import, and nothing else; it may write, create, delete or execute no file anywhere;
  from ABI 4 it may neither connect nor bind a TCP port; from ABI 6 it may not signal processes outside
  itself nor reach abstract UNIX sockets.
- **seccomp** (Linux, through ``seccompy``): running a program (``execve``, ``execveat``), starting a process
  (``fork``, ``vfork``, ``clone`` without ``CLONE_THREAD``), opening any socket, tracing, mounting, namespaces,
  kernel keys, BPF, ``io_uring``, ``userfaultfd`` and raising any limit but the CPU one fail with EPERM.
- it dies with its parent (``PR_SET_PDEATHSIG``, Linux).
"""

from __future__ import annotations

import errno
import importlib.util
import resource
import sys
import sysconfig
from pathlib import Path

CLONE_THREAD = 0x00010000
PR_SET_PDEATHSIG = 1
SIGKILL = 9

DENIED_SYSCALLS = (
    "execve",
    "execveat",
    "fork",
    "vfork",
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "setns",
    "unshare",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "personality",
    "open_by_handle_at",
    "name_to_handle_at",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "capset",
)


def readable_paths(modules: list[str]) -> list[str]:
    """The standard library and the folders of ``modules`` (and of smolagents): all the code may read."""
    paths = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib")}
    paths.add(str(Path(sysconfig.get_paths()["platstdlib"]) / "lib-dynload"))
    for name in [*modules, "smolagents"]:
        spec = importlib.util.find_spec(name.split(".")[0]) if name != "*" else None
        if spec is None or not spec.origin or spec.origin in ("built-in", "frozen"):
            continue
        origin = Path(spec.origin)
        folder = origin.parent if spec.submodule_search_locations else origin
        paths.add(str(folder))
        libs = folder.parent / f"{name.split('.')[0]}.libs"  # wheels' bundled shared libraries (numpy.libs)
        if libs.is_dir():
            paths.add(str(libs))
    return sorted(p for p in paths if Path(p).exists())


def confine(*, memory_mb: int, total_cpu_s: float, readable: list[str]) -> dict:
    """Apply every layer the platform offers; what was applied, as a dict for the trace."""
    landlock_abi, seccomp_ok = _probe()  # first: the libraries find libc by running ldconfig
    report: dict = {"process": True, "platform": sys.platform}
    report["rlimits"] = _rlimits(memory_mb, total_cpu_s)
    report["dies_with_parent"] = die_with_parent()
    report["landlock_abi"] = _landlock(readable) if landlock_abi else 0
    report["seccomp"] = _seccomp() if seccomp_ok else False
    return report


def _probe() -> tuple[int, bool]:
    """(the Landlock ABI, whether seccomp filters load) on this machine; (0, False) without the libraries."""
    try:
        import landlockpy

        abi = landlockpy.abi_version()
    except Exception:  # noqa: BLE001 - not installed, not Linux, an unknown architecture: no Landlock here
        abi = 0
    try:
        import seccompy

        ok = seccompy.supported()
    except Exception:  # noqa: BLE001 - not installed, not Linux, an unknown architecture: no seccomp here
        ok = False
    return abi, ok


def set_step_cpu(seconds: float) -> None:
    """Let the code use ``seconds`` more CPU time from now (the soft RLIMIT_CPU; SIGXCPU past it)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    now = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(now + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _rlimits(memory_mb: int, total_cpu_s: float) -> list[str]:
    wanted = {
        "RLIMIT_AS": memory_mb * 1024 * 1024,
        "RLIMIT_CPU": int(total_cpu_s) + 1,
        "RLIMIT_FSIZE": 0,
        "RLIMIT_NOFILE": 64,
        "RLIMIT_CORE": 0,
    }
    applied = []
    for name, value in wanted.items():
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            resource.setrlimit(which, (value, value))
            applied.append(name)
        except (ValueError, OSError):  # not supported here (RLIMIT_AS on macOS) or above the current hard limit
            pass
    return applied


def die_with_parent() -> bool:
    """Have the kernel kill this process when its parent dies (Linux: PR_SET_PDEATHSIG); False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0


def _landlock(readable: list[str]) -> int:
    """The Landlock ABI enforced (0: none here)."""
    import landlockpy
    from landlockpy import AccessFS, Ruleset, Scope

    abi = landlockpy.abi_version()
    with Ruleset(
        handled_fs=landlockpy.fs_for_abi(abi),
        handled_net=landlockpy.net_for_abi(abi),
        scoped=Scope.ABSTRACT_UNIX_SOCKET | Scope.SIGNAL,
    ) as rules:
        for path in readable:
            is_dir = Path(path).is_dir()
            rules.allow_path(path, AccessFS.READ_FILE | AccessFS.READ_DIR if is_dir else AccessFS.READ_FILE)
        rules.restrict()  # no port is allowed: from ABI 4 every TCP connect and bind is refused
    return abi


def _seccomp() -> bool:
    from seccompy import Action, ArgCmp, CmpOp, Filter

    rules = Filter(default=Action.ALLOW)
    for name in DENIED_SYSCALLS:
        try:
            rules.errno(name, errno.EPERM)
        except (ValueError, KeyError):  # a syscall this architecture does not have
            pass
    rules.errno("clone", errno.EPERM, args=[ArgCmp(0, CmpOp.MASKED_EQ, 0, mask=CLONE_THREAD)])
    rules.errno("clone3", errno.ENOSYS)  # glibc then falls back to clone, whose flags the filter can read
    rules.errno("setrlimit", errno.EPERM, args=[ArgCmp(0, CmpOp.NE, resource.RLIMIT_CPU)])
    rules.errno("prlimit64", errno.EPERM, args=[ArgCmp(1, CmpOp.NE, resource.RLIMIT_CPU)])
    rules.load()
    return True
