"""The README's settings and streams tables are the taps' own `--about` output, kept equal."""
from pathlib import Path

import pytest

from tap_engine.about import settings_markdown, streams_markdown
from tap_front.tap import FrontTap
from tap_mode.tap import ModeTap

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("tap", [FrontTap, ModeTap])
def test_readme_tables_match_the_taps(tap):
    assert settings_markdown(tap.settings) in README, "README settings table of {} is stale".format(tap.name)
    assert streams_markdown(tap.stream_classes) in README, "README streams table of {} is stale".format(tap.name)


def test_readme_names_the_two_commands():
    assert "make demo" in README and "make test" in README
