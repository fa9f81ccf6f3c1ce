"""Every benchmark still runs and produces figures, at the smallest sizes (`smoke` profile);
no goal is checked here, only that each figure is a number with a summary."""
import numbers

import pytest

from benchmarks import report, suite
from benchmarks.profiles import SMOKE

CASES = [(name, tap) for name in suite.PER_TAP for tap in ("front", "mode") if name != "hiding" or tap == "mode"]


def assert_figures(results, owner):
    figures = [f for section in results["taps"][owner].values() for f in section["figures"]]
    assert figures, "no figures for {}".format(owner)
    for fig in figures:
        for key in ("median", "min", "max"):
            assert isinstance(fig[key], numbers.Real), (fig["name"], key, fig[key])
        assert fig["min"] <= fig["median"] <= fig["max"], fig
        assert fig["runs"] >= 1 and fig["unit"]
    assert owner in report.table(results)


@pytest.mark.parametrize("name,tap", CASES)
def test_benchmark_produces_figures(name, tap, tmp_path):
    results = suite.run(SMOKE, only=[name], taps=(tap,), workdir=str(tmp_path))
    assert_figures(results, tap)


def test_in_process_throughput_produces_figures():
    assert_figures(suite.run(SMOKE, only=["throughput"]), "engine")


def test_results_are_written_as_json(tmp_path):
    results = suite.run(SMOKE, only=["throughput"])
    path = tmp_path / "results.json"
    report.write(results, str(path))
    assert '"engine"' in path.read_text()
