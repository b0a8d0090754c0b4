"""Keeping template rendering within bounds of time, output size and memory.

Templates run in Jinja2's SandboxedEnvironment (no Python internals); that
says nothing about how much they may compute.  ``BoundedEnvironment`` keeps
the sandbox exactly as it is and adds limits, each checked *before* the work
it guards so nothing huge is ever built:

- strings and lists made by ``*``, ``**``, ``+``, ``%``, ``~``, the string
  methods and filters that grow text (center, ljust, rjust, zfill,
  expandtabs, format, replace, indent, join), captured blocks and macro
  output: at most MAX_TEXT characters (or items);
- loops: at most MAX_LOOP_STEPS iterations in one rendering, and a time
  budget (TIME_BUDGET_S) checked while looping, calling and operating;
- the rendered clause: streamed, and stopped past MAX_OUTPUT characters.

A template that crosses a bound gets a TemplateBoundsError, which the
library turns into a TemplateProblem naming the file.
"""

from __future__ import annotations

import contextvars
import functools
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg

MAX_TEXT = 2_000_000  # characters in one string (items in one list) a template makes
MAX_OUTPUT = 4_000_000  # characters of one rendered clause
MAX_LOOP_STEPS = 1_000_000  # loop iterations in one rendering
TIME_BUDGET_S = 2.0  # seconds for one rendering
# Field widths and precisions: "%900000000s", "%.900000000f", "{:>900000000}".
_PERCENT_WIDTH_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d*)(?:\.(\d+))?")
_BRACE_SPEC_RE = re.compile(r"\{[^{}]*?:([^{}]*)\}")
_DIGITS_RE = re.compile(r"\d+")


class TemplateBoundsError(Exception):
    """A template went past a bound; str() says which, for a person."""


class _Budget:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.steps = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateBoundsError(f"the template takes too long to fill in (more than {TIME_BUDGET_S:g} seconds): "
                                      "look for loops inside loops or very long repetitions")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.check_time()


def _too_big(what: str) -> TemplateBoundsError:
    return TemplateBoundsError(f"the template makes {what} larger than {MAX_TEXT:,} characters (or items), "
                               "which no policy needs (look for '*' or '**' on text, or a repetition that grows)")


def _size(value: Any, depth: int = 0) -> int:
    """About how many characters *value* becomes as text (cheap: strings
    by length, containers by their items, a few levels deep)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple, set, frozenset, dict)) and depth < 4:
        items = value.items() if isinstance(value, dict) else value
        total = 2 + len(value)
        for item in items:
            total += _size(item, depth + 1)
            if total > MAX_TEXT:
                break
        return total
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    return 16


def _check(n: int, what: str = "a text") -> None:
    if n > MAX_TEXT:
        raise _too_big(what)


def _format_widths(fmt: Any) -> None:
    """'%900000000s' or '{:>900000000}': a field width past the limit."""
    if not isinstance(fmt, str):
        return
    numbers = [n for pair in _PERCENT_WIDTH_RE.findall(fmt) for n in pair if n]
    numbers += [n for spec in _BRACE_SPEC_RE.findall(fmt) for n in _DIGITS_RE.findall(spec)]
    for number in numbers:
        if len(number) > 7 or int(number) > MAX_TEXT:
            raise _too_big("a text")


def _replaced_size(s: Any, old: Any, new: Any) -> int:
    if not (isinstance(s, str) and isinstance(old, str) and isinstance(new, str)):
        return 0
    count = s.count(old) if old else len(s) + 1
    return len(s) + count * max(0, len(new) - len(old))


def _check_binop(op: str, left: Any, right: Any) -> None:
    if op == "*":
        if isinstance(left, int) and isinstance(right, int):
            _check((left.bit_length() + right.bit_length()) // 3, "a number")
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple, bytes)) and isinstance(n, int):
                _check(_size(seq) * max(n, 0), "a repetition")
    elif op == "**":
        if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            _check(int(right * abs(left).bit_length() * 0.302), "a number")
    elif op == "+":
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            _check(_size(left) + _size(right))
    elif op == "%":
        _format_widths(left)


# String methods (and filters) that make text grow, checked before they run.
def _check_str_method(name: str, s: str, args: tuple, kwargs: dict) -> tuple:
    """Raise if the call would make too much text; the arguments to call
    with (an iterator to join is read once, here, and passed on as a list)."""
    if name == "join" and len(args) == 1 and not isinstance(args[0], (list, tuple, str)):
        args = (list(args[0]),)
    values = list(args) + list(kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill"):
        _check(max([v for v in values[:1] if isinstance(v, int)] + [0]))
    elif name == "expandtabs":
        tab = values[0] if values and isinstance(values[0], int) else 8
        _check(len(s) * max(tab, 1))
    elif name in ("format", "format_map"):
        _format_widths(s)
    elif name == "replace" and len(values) >= 2:
        _check(_replaced_size(s, values[0], values[1]))
    elif name == "join" and values:
        _check(_size(values[0]) + len(s) * max(len(values[0]) - 1, 0) if isinstance(values[0], (list, tuple, str)) else 0)
    return args


def _bounded_filter(name: str, original):
    """The filter *name* with a size check before it runs."""
    offset = 1 if _PassArg.from_obj(original) is not None else 0

    @functools.wraps(original)
    def bounded(*args, **kwargs):
        _tick()
        value, rest = args[offset] if len(args) > offset else None, list(args[offset + 1:])
        if name == "center":
            _check(max([w for w in rest[:1] + [kwargs.get("width", 80)] if isinstance(w, int)]))
        elif name == "indent":
            width = rest[0] if rest else kwargs.get("width", 4)
            lines = str(value).count("\n") + 1
            _check(len(str(value)) + lines * (width if isinstance(width, int) else len(str(width))))
        elif name == "format":
            _format_widths(value)
        elif name == "replace" and len(rest) >= 2:
            _check(_replaced_size(value, rest[0], rest[1]))
        elif name == "join":
            value = list(value) if not isinstance(value, (str, list, tuple)) else value
            separator = rest[0] if rest else kwargs.get("d", "")
            _check(_size(value) + len(str(separator)) * max(len(value) - 1, 0))
            args = (*args[:offset], value, *args[offset + 1:])
        return original(*args, **kwargs)

    return bounded


_GROWING_FILTERS = ("center", "indent", "format", "replace", "join")
_GROWING_LIST_METHODS = ("append", "extend", "insert")


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with two hooks: every ``for`` loop iterates
    through ``environment.bounded_loop`` and every ``~`` joins through
    ``environment.join_text``."""

    def visit_Template(self, node: nodes.Template, frame=None) -> None:
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("bounded_loop"), [loop.iter], [], None, None,
                                   lineno=loop.iter.lineno)
        super().visit_Template(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame) -> None:
        if frame.eval_ctx.volatile or frame.eval_ctx.autoescape:
            super().visit_Concat(node, frame)
            return
        self.write("environment.join_text((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, unchanged, with the bounds of this module."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset(("*", "**", "+", "%"))

    def __init__(self, **options: Any):
        options.setdefault("finalize", self._finalize)
        super().__init__(**options)
        for name in _GROWING_FILTERS:
            self.filters[name] = _bounded_filter(name, self.filters[name])

    # -- hooks the generated code calls ------------------------------------------

    def bounded_loop(self, iterable: Iterable) -> Iterable:
        budget = _BUDGET.get()
        return iterable if budget is None else _counted(iterable, budget)

    def join_text(self, parts: Iterable) -> str:
        texts = [str(p) for p in parts]
        _check(sum(map(len, texts)))
        return "".join(texts)

    def concat(self, parts: Iterable) -> str:  # captured blocks, macro output
        parts = list(parts)
        _check(sum(len(p) for p in parts))
        return "".join(parts)

    @staticmethod
    def _finalize(value: Any) -> Any:
        if not isinstance(value, str):
            _check(_size(value))
        return value

    # -- the sandbox's own interception points -------------------------------------

    def call_binop(self, context, operator_: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator_, left, right)
        return super().call_binop(context, operator_, left, right)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - the sandbox's signature
        _tick()
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str):
            args = _check_str_method(name, owner, args, kwargs)
        elif isinstance(owner, list) and name in _GROWING_LIST_METHODS:
            _check(len(owner) + 1, "a list")
        return super().call(__context, __obj, *args, **kwargs)


def _counted(iterable: Iterable, budget: _Budget) -> Iterator:
    for item in iterable:
        budget.steps += 1
        if budget.steps > MAX_LOOP_STEPS:
            raise TemplateBoundsError(f"the template repeats too often (more than {MAX_LOOP_STEPS:,} loop steps): "
                                      "look for loops inside loops")
        if not budget.steps & 1023:
            budget.check_time()
        yield item


def render_bounded(template, context: dict[str, Any]) -> str:
    """*template* rendered with the time budget, streamed and stopped past
    MAX_OUTPUT characters."""
    token = _BUDGET.set(_Budget(TIME_BUDGET_S))
    try:
        budget = _BUDGET.get()
        chunks, total = [], 0
        for n, chunk in enumerate(template.generate(context)):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise TemplateBoundsError(f"the template writes more than {MAX_OUTPUT:,} characters, "
                                          "which no policy needs (look for a repetition)")
            if not n & 255:
                budget.check_time()
            chunks.append(chunk)
        return "".join(chunks)
    finally:
        _BUDGET.reset(token)


__all__ = ["BoundedEnvironment", "TemplateBoundsError", "render_bounded"]
