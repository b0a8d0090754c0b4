"""Hostile workspace templates: a huge string, loops inside loops and other
ways of computing without end are refused quickly, with little memory, and
the message names the template file; the built-in templates are not
affected (tests/test_templates.py and test_template_content.py check them
in full)."""

from __future__ import annotations

import resource
import time

import pytest
from test_fault_input_support import assert_refused, run_cli

from guidelines_app.drafting.library import TemplateNotFound, load_library

MANIFEST = """\
id: hostile
title: Hostile Set
description: A workspace template made to hurt.
questions:
  - id: organization
    type: text
    label: Organization name
    default: Acme
sections:
  - intro
"""

CASES = {
    "huge string": "{{ 'a' * 900000000 }}",
    "nested loops": "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}",
    "silent nested loops": "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}",
    "huge power": "{{ 10 ** 900000000 }}",
    "doubling text": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "wide format": "{{ '{:>900000000}'.format(organization) }}",
    "wide filter": "{{ organization|center(900000000) }}",
    "captured repetition": "{% set s = 'a' * 1000000 %}{% set x %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endset %}{{ x }}",
    "joined repetition": "{% set s = 'a' * 1000000 %}{{ ([s] * 1000000)|join }}",
    "endless macro": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
}


def _make(root, body: str):
    folder = root / "templates" / "hostile"
    (folder / "sections").mkdir(parents=True)
    (folder / "manifest.yaml").write_text(MANIFEST, encoding="utf-8")
    clause = folder / "sections" / "intro.md"
    clause.write_text("---\nid: intro\ntitle: Intro\ncategory: who\npurpose: Opens it.\n---\n"
                      f"# {{{{ title }}}}\n\n{{{{ organization }}}} says:\n{body}\n", encoding="utf-8")
    return clause


@pytest.mark.parametrize("body", list(CASES.values()), ids=list(CASES))
def test_workspace_template_past_a_bound_is_refused_quickly(tmp_path, body):
    clause = _make(tmp_path, body)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    lib = load_library(tmp_path)
    elapsed = time.monotonic() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "hostile" not in lib.sets
    problems = [p for p in lib.problems if p.path == clause]
    assert problems, lib.problems
    assert problems[0].line == 10 or "macro" in str(problems[0]), str(problems[0])  # the line of the bad expression
    assert elapsed < 5, elapsed
    assert grown_mb < 200, grown_mb
    # The built-in sets load as before.
    assert {"employee-social-media-guidelines", "social-media-governance-policy"} <= set(lib.sets)
    with pytest.raises(TemplateNotFound, match=str(clause)):
        lib.get("hostile")


@pytest.mark.parametrize("name", ["huge string", "nested loops"])
def test_cli_refuses_a_hostile_template_naming_the_file(workspace, tmp_path, name):
    clause = _make(workspace.root, CASES[name])
    started = time.monotonic()
    proc = run_cli(workspace.root, "new", "--template", "hostile", "--title", "Hostile", timeout=60)
    assert time.monotonic() - started < 20
    assert_refused(proc, str(clause), "cannot be used")
    assert not list((workspace.root / "guidelines").glob("*.md"))
    # Listing templates warns about it and lists the others.
    proc = run_cli(workspace.root, "templates")
    assert proc.returncode == 0 and f"warning: template skipped: {clause}" in proc.stderr
    assert "employee-social-media-guidelines" in proc.stdout and "Traceback" not in proc.stderr
