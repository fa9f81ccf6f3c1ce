"""Running a tap in the reliability tests: in-process through the suite's runner (fast), or
as a process (exit codes, signals, pipes), every run's stdout and stderr checked for any trace
of the suite's secrets."""
import itertools
import re

from tests.support.killer import run_process, tap_command
from tests.support.runner import run_tap

from .profiles import assert_no_leak

_folders = itertools.count(1)


def _folder(tmp_path):
    folder = tmp_path / "run{}".format(next(_folders))
    folder.mkdir(parents=True)
    return folder


def sync(profile, tmp_path, config, catalog=None, state=None, extra_args=()):
    """In-process run of the tap's CLI; `catalog=None` means the profile's full catalog."""
    catalog = profile.catalog() if catalog is None else catalog
    run = run_tap(profile.tap_cls, _folder(tmp_path), config, catalog, state, extra_args)
    assert_no_leak(run.stdout, run.stderr)
    return run


def spawn(profile, tmp_path, config, catalog=None, state=None, extra_args=(), **process_options):
    """The tap as a process (`python -m tap_x`); options as `killer.run_process`."""
    catalog = profile.catalog() if catalog is None else catalog
    args = tap_command(profile.module, _folder(tmp_path), config, catalog, state) + list(extra_args)
    run = run_process(args, **process_options)
    assert_no_leak(run.stdout, run.stderr, run.cut_line)
    return run


def last_line(stderr):
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def retries_logged(stderr):
    """The retries a run announced (one warning line each)."""
    return sum(1 for line in stderr.splitlines() if _RETRY.search(line))


_RETRY = re.compile(r"; retry \d+ in [0-9.]+ s")
