"""Every menu path a user is pointed to ("use File > New Guideline",
"Template > Re-answer Questionnaire") is one the window has: help texts,
check findings and the User Guide pointed to "File > New Document",
"Templates > Re-answer Questions" and "Templates > Clause Library", which
do not exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from guidelines_app.core.document import Document
from guidelines_app.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[1]
MENUS = "File|Edit|Format|View|Template|Templates|History|Governance|Team|Help|Tools|Review|Document"
# "Menu > Entry words" (and "> Sub-entry"), as a person writes it in a sentence.
_PATH_RE = re.compile(rf"\b({MENUS}) > ([A-Z][\w'’-]*(?: [\w'’-]+)*(?: > [A-Z][\w'’-]*(?: [\w'’-]+)*)?)")


def _texts_users_read() -> list[tuple[str, str]]:
    """(where, text): the strings of the app's code (not its docstrings or
    comments), the check rules and templates, the User Guide and the README."""
    found = []
    for path in sorted((REPO / "guidelines_app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                found.append((f"{path.relative_to(REPO)}:{node.lineno}", node.value))
    for folder, pattern in ((REPO / "policy_templates", "*.yaml"), (REPO / "resources", "*.md"), (REPO, "README.md")):
        for path in sorted(folder.rglob(pattern) if folder != REPO else [REPO / pattern]):
            # (a sentence wraps: "View > Markdown" ends a line, "Source" starts the next)
            text = re.sub(r"[ \t]*\n[ \t]*", " ", path.read_text(encoding="utf-8"))
            found.append((str(path.relative_to(REPO)), text))
    return found


@pytest.fixture
def menu_paths(qtbot, workspace, settings, author) -> set[str]:
    workspace.create_document(Document.new("Policy", body="# Policy\n\nText.\n"), author)
    w = MainWindow(workspace, settings)
    qtbot.addWidget(w)
    paths: set[str] = set()

    def walk(menu, above: list[str]) -> None:
        for action in menu.actions():
            name = action.text().replace("&", "").rstrip("…").strip()
            if not name:
                continue
            paths.add(" > ".join([*above, name]))
            if action.menu() is not None:
                walk(action.menu(), [*above, name])

    for action in w.menuBar().actions():
        walk(action.menu(), [action.text().replace("&", "")])
    return paths


def test_every_menu_path_a_text_names_is_in_the_window(menu_paths):
    assert "File > New Guideline" in menu_paths and "Template > Re-answer Questionnaire" in menu_paths
    wrong = []
    for where, text in _texts_users_read():
        for m in _PATH_RE.finditer(text):
            named = f"{m.group(1)} > {m.group(2)}"
            # The sentence goes on after the entry ("File > New Guideline's wizard"): an entry is a word-aligned start.
            if not any(named == path or re.match(re.escape(path) + r"\b", named) for path in menu_paths):
                wrong.append(f"{where}: {named}")
    assert not wrong, "menu paths the window does not have:\n" + "\n".join(wrong)
