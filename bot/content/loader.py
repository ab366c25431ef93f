"""The one way to read a content file of bot/content/: parsed once, cached, one error type.

    from bot import content
    content.load("safety")               # bot/content/safety.yml, parsed once
    content.load("faq/employer")         # a file in a sub-folder
    content.load("summary.schema.json")  # a name with its suffix is taken as is
    content.load_dir("faq")              # {"employer.yml": {...}, ...}, sorted by name
    content.load(some_path)              # a file outside the package (a copy in a test)
    content.file_text("web", "chat.errors.too_long", max=2000)  # one string, placeholders filled

Names are resolved from this package (never from the working directory). A file is parsed
again only when it changed on disk (modification time and size), so tools that write a
content file (the review records) read their own writes. Every problem (a missing file,
invalid YAML or JSON, a top level that is not a mapping, a missing key) raises
:class:`ContentError` with the file name in its message. Callers must not change the data
they get: it is shared.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Union

import yaml

CONTENT_DIR = Path(__file__).resolve().parent
SUFFIXES = (".yml", ".yaml", ".json")

Name = Union[str, Path]


class ContentError(ValueError):
    """A content file is missing or malformed. ``file`` is its name (relative to
    bot/content/ when it lies there), ``problem`` what is wrong with it."""

    def __init__(self, file: Name, problem: str):
        self.file = _display(file) if isinstance(file, Path) else str(file)
        self.problem = problem
        super().__init__(f"{self.file}: {problem}")


def path(name: Name) -> Path:
    """The file a name stands for: a Path as given, else relative to bot/content/, with
    ``.yml`` added when the name has no suffix of its own."""
    if isinstance(name, Path):
        return name
    rel = name if name.endswith(SUFFIXES) else f"{name}.yml"
    resolved = (CONTENT_DIR / rel).resolve()
    if CONTENT_DIR not in resolved.parents:
        raise ContentError(name, "not a file in bot/content/")
    return resolved


def load(name: Name) -> Any:
    """The parsed content of one file (a mapping). See the module docstring."""
    file = path(name)
    try:
        stat = file.stat()
    except FileNotFoundError:
        raise ContentError(file, f"file not found (looked for {file})") from None
    if not file.is_file():
        raise ContentError(file, "not a file")
    return _parse(str(file), stat.st_mtime_ns, stat.st_size)


def load_dir(folder: Name) -> Dict[str, Any]:
    """Every YAML file of a folder (not its sub-folders): {file name: parsed content}."""
    directory = folder if isinstance(folder, Path) else CONTENT_DIR / folder
    if not directory.is_dir():
        raise ContentError(directory, "folder not found")
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    return {p.name: load(p) for p in files}


def files(root: Path = CONTENT_DIR) -> List[str]:
    """Every YAML file under ``root`` (recursively), as paths relative to it, sorted."""
    found = sorted(root.rglob("*.yml")) + sorted(root.rglob("*.yaml"))
    return [p.relative_to(root).as_posix() for p in found]


def require(data: Mapping[str, Any], key: str, file: Name, where: str = "") -> Any:
    """``data[key]``, or ContentError naming the file and the missing key."""
    if not isinstance(data, Mapping) or key not in data or data[key] is None:
        place = f"{where}: " if where else ""
        raise ContentError(file if isinstance(file, Path) else path(file), f"{place}missing key {key!r}")
    return data[key]


def file_text(name: Name, key: str, **fmt: Any) -> str:
    """One string of a file by its dotted key ("chat.errors.empty"), with the {placeholders}
    filled in from ``fmt`` (when given). ContentError when the key is missing or no string."""
    node: Any = load(name)
    parts = key.split(".")
    for i, part in enumerate(parts):
        node = require(node, part, name, ".".join(parts[:i]))
    if not isinstance(node, str):
        raise ContentError(path(name), f"{key} is not a text")
    return node.format(**fmt) if fmt else node


def reload() -> None:
    """Forget every parsed file (the modules' own caches are theirs to clear)."""
    _parse.cache_clear()


@lru_cache(maxsize=None)
def _parse(file: str, mtime_ns: int, size: int) -> Any:
    source = Path(file)
    text = source.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if source.suffix == ".json" else yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(source, f"not valid YAML{where}: {problem}") from None
    except ValueError as exc:
        raise ContentError(source, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {type(data).__name__}"
        raise ContentError(source, f"the top level must be a mapping (key: value), found {found}")
    return data


def _display(file: Path) -> str:
    try:
        return file.resolve().relative_to(CONTENT_DIR).as_posix()
    except ValueError:
        return file.name
