"""The test stages are named in three places that must agree: tests/conftest.py (marks every
test under tests/<stage>/), pyproject.toml (registers the markers) and the Makefile
(``make test-unit`` leaves them out). A stage missing from the Makefile would run its
real-stack tests in the unit run; one missing from pyproject.toml fails with --strict-markers."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _stages() -> set:
    source = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    return set(ast.literal_eval(re.search(r"^STAGES = (\(.*?\))", source, re.M | re.S).group(1)))


def test_make_test_unit_leaves_out_every_stage():
    line = re.search(r"^STAGE_MARKERS := (.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert set(line.group(1).split(" or ")) == _stages()


def test_every_stage_is_a_registered_marker_and_a_directory():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    registered = set(re.findall(r'^\s*"([a-z0-9_]+):', pyproject, re.M))
    for stage in _stages():
        assert stage in registered, stage
        assert (ROOT / "tests" / stage).is_dir(), stage
