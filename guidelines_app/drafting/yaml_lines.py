"""YAML reading that remembers line numbers, so a problem in a template
manifest or an answers file can be reported as "file, line N"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from guidelines_app.core.errors import GuidelinesError
from guidelines_app.core.front_matter import plain_yaml_problem, refuse_aliases


class YamlProblem(GuidelinesError):
    def __init__(self, path: Path | str | None, line: int | None, problem: str):
        self.path = Path(path) if path else None
        self.line = line
        self.problem = problem
        where = str(self.path) if self.path else "the text"
        if line:
            where += f", line {line}"
        super().__init__(f"{where}: {problem}")


class LineDict(dict):
    """A mapping that knows the (1-based) line of itself and of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain word", key_node.start_mark) from None
        if key in result:  # (the last one was taken without a word: which answer did the writer mean?)
            raise yaml.constructor.ConstructorError(
                None, None, f"'{key}' is given twice (also on line {result.key_lines[key]}): keep one", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, path: Path | str | None = None) -> Any:
    try:
        refuse_aliases(text, _Loader)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problem = plain_yaml_problem(problem) or problem
        raise YamlProblem(path, mark.line + 1 if mark is not None else None, problem) from None


def load_yaml_file(path: Path) -> Any:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise YamlProblem(path, None, "the file does not exist") from None
    except OSError as exc:
        raise YamlProblem(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlProblem(path, None, f"the file is not UTF-8 text (byte {exc.start})") from None
    return load_yaml(text, path)


def plain(value: Any) -> Any:
    """The same data with plain dicts, ready for yaml.safe_dump and json."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
