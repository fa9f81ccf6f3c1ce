"""The README's settings and streams tables are the taps' own `--about` output, kept equal."""
import re
from pathlib import Path

import pytest

from tap_engine.about import settings_markdown, streams_markdown
from tap_front.tap import FrontTap
from tap_mode.tap import ModeTap

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("tap", [FrontTap, ModeTap])
def test_readme_tables_match_the_taps(tap):
    assert settings_markdown(tap.settings) in README, "README settings table of {} is stale".format(tap.name)
    assert streams_markdown(tap.stream_classes) in README, "README streams table of {} is stale".format(tap.name)


def test_readme_names_the_two_commands():
    assert "make demo" in README and "make test" in README


def _whole_examples():
    """CONTRIBUTING's code blocks that say which module they show, and are not abridged."""
    for block in re.findall(r"```python\n(.*?)```", CONTRIBUTING, flags=re.S):
        first, _, rest = block.partition("\n")
        found = re.search(r"# (\S+\.py)( \(abridged\))?$", first)
        if found and not found.group(2):
            yield found.group(1), re.sub(r"\s+# \S+\.py$", "", first) + "\n" + rest


def test_contributing_examples_are_the_code():
    examples = list(_whole_examples())
    assert len(examples) >= 4
    for module, text in examples:
        assert text in (ROOT / module).read_text(encoding="utf-8"), "CONTRIBUTING's example from {} is stale".format(module)
