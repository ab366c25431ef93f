"""The container image (deploy/Dockerfile) holds what the installable package holds
(pyproject.toml) and the project files the code reads at run time. A missing
rasa_sdk_plugins/ went unnoticed once: the action server in the image then took calls
without the shared secret."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_AT_RUN_TIME = ["data/nlu"]  # bot/dialogue/interpret/mixed.py, bot/knowledge/safety_classifier.py


def _runtime_copies() -> set:
    runtime = re.split(r"(?m)^FROM\s", (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8"))[-1]
    return {m.rstrip("/") for m in re.findall(r"(?m)^COPY\s+(?!--)(\S+)", runtime)}


def test_the_image_has_every_top_level_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    include = re.search(r"^include = \[(.*?)\]", pyproject, re.M).group(1)
    packages = {p for p in re.findall(r'"([a-z_]+)"', include)}
    assert {"bot", "actions", "rasa_sdk_plugins"} <= packages
    assert packages <= _runtime_copies()


def test_the_image_has_the_project_files_read_at_run_time():
    assert set(READ_AT_RUN_TIME) <= _runtime_copies()
    for path in READ_AT_RUN_TIME:
        assert (ROOT / path).is_dir(), path
