"""Singer targets and tools, each in a virtualenv of its own, cached under `.venv-targets/`.

Targets pin singer-python versions that conflict with the taps' and with each other, so every
tool gets its own venv, named after package, version and Python: a rerun finds it ready and
installs nothing. `python -m demo.toolenv [NAME ...]` installs them (all when no name is given).
"""
import argparse
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("TOOL_VENVS_DIR") or ROOT / ".venv-targets")
INSTALL_TIMEOUT = 900  # seconds; a safety net for a hung index, not a performance limit
MARKER = ".installed.json"


@dataclass(frozen=True)
class Tool:
    package: str
    version: str
    executable: str
    python: str = None  # "3.11": the tool needs that Python (found with .ci/find-python)

    @property
    def requirement(self):
        return "{}=={}".format(self.package, self.version)


# The versions the ecosystem tests and the demo run against.
TOOLS = {
    "target-jsonl": Tool("target-jsonl", "0.1.4", "target-jsonl"),
    "target-csv": Tool("meltanolabs-target-csv", "0.5.0", "target-csv"),
    "target-postgres": Tool("meltanolabs-target-postgres", "0.8.1", "target-postgres"),
    "singer-tools": Tool("singer-tools", "0.4.1", "singer-check-tap"),
    "meltano": Tool("meltano", "4.4.1", "meltano"),
    # Mage needs Python >= 3.10 and does not install well on 3.13: 3.11, as Mage's own image
    # family runs. The tests import a few of its functions in this venv (tests/ecosystem/mage.py).
    "mage-ai": Tool("mage-ai", "0.9.80", "mage", python="3.11"),
}


class ToolEnvError(RuntimeError):
    pass


class ToolEnv:
    """One tool's venv. `ensure()` installs it unless a previous run already did."""

    def __init__(self, tool, cache_dir=None, python=None):
        self.tool = tool
        self.python_error = None
        try:
            self.python = python or tool_python(tool.python)
        except ToolEnvError as error:  # reported when the tool is wanted, not when it is named
            self.python, self.python_error = None, error
        self.cache_dir = Path(cache_dir or CACHE_DIR)
        if self.python is None:
            tag = "py" + tool.python
        elif self.python == sys.executable:
            tag = "py{}.{}".format(*sys.version_info[:2])
        else:
            tag = _python_tag(self.python)
        self.path = self.cache_dir / "{}-{}-{}".format(tool.package, tool.version, tag)
        self.install_seconds = None  # set when this process installed it

    def bin(self, name=None):
        return str(self.path / "bin" / (name or self.tool.executable))

    def ready(self):
        return (self.path / MARKER).is_file()

    def recorded_install_seconds(self):
        """How long the install took when it happened (possibly in an earlier run)."""
        try:
            return json.loads((self.path / MARKER).read_text())["seconds"]
        except (OSError, ValueError, KeyError):
            return None

    def ensure(self):
        if self.ready():
            return self
        if self.python_error is not None:
            raise self.python_error
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        # Two processes (the demo and a test run) may want the same venv: one installs it.
        with _locked(self.cache_dir / (self.path.name + ".lock")):
            if not self.ready():
                self._install()
        return self

    def _install(self):
        started = time.monotonic()
        if self.path.exists():
            shutil.rmtree(self.path)  # a half-built venv from an interrupted install
        log = []
        _run([self.python, "-m", "venv", str(self.path)], log)
        _run([str(self.path / "bin" / "python"), "-m", "pip", "install", "--quiet",
              "--disable-pip-version-check", "--no-input", self.tool.requirement], log)
        if not Path(self.bin()).exists():
            raise ToolEnvError("{} installed but has no {}".format(self.tool.requirement, self.bin()))
        self.install_seconds = round(time.monotonic() - started, 1)
        (self.path / MARKER).write_text(json.dumps(
            {"requirement": self.tool.requirement, "seconds": self.install_seconds}))


def tool_python(version=None):
    """The Python `version` ("3.11") when a tool names one; else this Python, unless it is
    older than the tools support (Meltano and the SDK targets need 3.10): then the newest one
    `.ci/find-python` finds."""
    if version:
        if "{}.{}".format(*sys.version_info[:2]) == version:
            return sys.executable
        path = _find_python(version)
        if path:
            return path
        raise ToolEnvError("Python {} was not found (on PATH or through pyenv)".format(version))
    if sys.version_info >= (3, 10):
        return sys.executable
    for version in ("3.13", "3.12", "3.11", "3.10"):
        path = _find_python(version)
        if path:
            return path
    raise ToolEnvError("the tools need Python 3.10 or newer and none was found")


def _find_python(version):
    found = subprocess.run([str(ROOT / ".ci" / "find-python"), version], capture_output=True, text=True)
    path = found.stdout.strip()
    if found.returncode == 0 and path and not found.stderr.strip():
        return path
    return None


def _python_tag(python):
    out = subprocess.run([python, "-c", "import sys; print('py%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _run(cmd, log):
    env = dict(os.environ, PIP_NO_INPUT="1")
    env.pop("PYTHONPATH", None)  # the tool must not see this checkout's modules
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=INSTALL_TIMEOUT)
    log.append(done.stdout + done.stderr)
    if done.returncode != 0:
        raise ToolEnvError("{} failed ({}):\n{}".format(" ".join(cmd), done.returncode,
                                                        "".join(log)[-3000:]))


@contextlib.contextmanager
def _locked(path):
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def env_for(name, cache_dir=None):
    return ToolEnv(TOOLS[name], cache_dir)


def ensure_all(names, cache_dir=None):
    """Install several tools at once: pip spends most of its time waiting on the network."""
    envs = [env_for(name, cache_dir) for name in names]
    with ThreadPoolExecutor(max_workers=max(1, len(envs))) as pool:
        list(pool.map(ToolEnv.ensure, envs))
    return dict(zip(names, envs))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m demo.toolenv", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="tools to install: " + ", ".join(sorted(TOOLS)))
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(TOOLS))
    if unknown:
        parser.error("unknown tool(s): " + ", ".join(unknown))
    names = args.names or sorted(TOOLS)
    try:
        envs = ensure_all(names)
    except ToolEnvError as error:
        print("toolenv: {}".format(error), file=sys.stderr)
        return 1
    for name, env in envs.items():
        state = "installed in {} s".format(env.install_seconds) if env.install_seconds else "ready"
        print("{:<16} {:<36} {}".format(name, env.tool.requirement, state))
    return 0


if __name__ == "__main__":
    sys.exit(main())
