"""The standalone bundle (scripts/build_app.py, PyInstaller): built once for
this module, then started offscreen on a temporary workspace without this
checkout on any path.  Its --self-test reports every menu of the normal app
and a Word export made by the bundled app; the install step writes the
launcher, icon and metadata into a temporary data folder.

Slow (a PyInstaller build: about half a minute on a quiet machine), and run
by the README's test command; skipped where PyInstaller is not installed
(``pip install -e '.[bundle]'``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -e '.[bundle]')")
    root = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    built = subprocess.run([sys.executable, str(REPO / "scripts" / "build_app.py"), "--dist", str(root / "dist"),
                            "--work", str(root / "work")], capture_output=True, text=True, env=env, timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return root / "dist" / "GuidelineStudio"


def bundle_env(tmp_path: Path) -> dict:
    """The environment of a user's session: no PYTHONPATH, no checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", GUIDELINES_CONFIG_DIR=str(tmp_path / "config"),
               GUIDELINES_LOG_DIR=str(tmp_path / "logs"), GUIDELINES_RECOVERY_DIR=str(tmp_path / "recovery"),
               XDG_CONFIG_HOME=str(tmp_path / "xdg-config"), XDG_DATA_HOME=str(tmp_path / "xdg-data"),
               GUIDELINES_AUTOCLOSE_DIALOGS_MS="100")
    return env


def normal_menus(qapp, tmp_path) -> dict[str, list[str]]:
    """The menus of the app run from this checkout, the way the bundle reports them."""
    from guidelines_app.core.settings import Settings
    from guidelines_app.core.workspace import Workspace
    from guidelines_app.ui.main_window import MainWindow
    from guidelines_app.ui.self_test import menu_tree

    ws = Workspace.create(tmp_path / "normal-ws")
    window = MainWindow(ws, Settings(author_name="A", author_email="a@example.org"))
    try:
        from guidelines_app.ui.feature_loader import FEATURES

        for name, _install in FEATURES:
            window.features[name]  # features loaded on first need are loaded
        return menu_tree(window)
    finally:
        window.close()
        window.deleteLater()


def test_the_bundle_has_every_menu_and_exports_word(bundle, tmp_path, qapp):
    program = bundle / ("guidelines-app.exe" if sys.platform == "win32" else "guidelines-app")
    done = subprocess.run([str(program), "--self-test", "--workspace", str(tmp_path / "ws")], cwd=tmp_path,
                          capture_output=True, text=True, env=bundle_env(tmp_path), timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["frozen"] is True
    from guidelines_app.ui.feature_loader import FEATURES

    assert report["features"] == report["expected_features"] == [name for name, _install in FEATURES]
    expected = normal_menus(qapp, tmp_path)
    assert report["menus"] == expected
    assert {"Template", "History", "Help"} <= set(report["menus"])
    assert report["word_export"]["ok"] and report["word_export"]["paragraphs"] >= 5
    from docx import Document as WordDocument

    text = "\n".join(p.text for p in WordDocument(report["word_export"]["file"]).paragraphs)
    assert "Everyone who posts for us." in text
    assert report["window_icon"] is True
    assert len(report["guide_chapters"]) == 10 and report["guide_chapters"][0] == "Getting started"
    assert "started" in Path(report["log_file"]).read_text(encoding="utf-8")  # the app's own log, in the bundle too


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the freedesktop launcher is for Linux")
def test_the_install_step_adds_launcher_icon_and_metadata(bundle, tmp_path):
    env = bundle_env(tmp_path)
    done = subprocess.run([str(bundle / "install.sh")], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    data = tmp_path / "xdg-data"
    launcher = (data / "applications" / "org.guidelinestudio.GuidelineStudio.desktop").read_text(encoding="utf-8")
    assert f"Exec={bundle.resolve() / 'guidelines-app'} %f" in launcher
    assert "MimeType" not in launcher  # offered only when asked for
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "org.guidelinestudio.GuidelineStudio.png").is_file()
    assert "<id>org.guidelinestudio.GuidelineStudio</id>" in (
        data / "metainfo" / "org.guidelinestudio.GuidelineStudio.metainfo.xml").read_text(encoding="utf-8")
    again = subprocess.run([str(bundle / "install.sh"), "--associate-md"], capture_output=True, text=True, env=env,
                           timeout=120)
    assert again.returncode == 0 and "Open With" in again.stdout
    launcher = (data / "applications" / "org.guidelinestudio.GuidelineStudio.desktop").read_text(encoding="utf-8")
    assert "MimeType=text/markdown;" in launcher


def test_the_bundle_says_what_to_install_when_git_is_missing(bundle, tmp_path):
    empty_bin = tmp_path / "bin-without-git"
    empty_bin.mkdir()
    env = bundle_env(tmp_path)
    env["PATH"] = str(empty_bin)
    env.pop("GIT_PYTHON_GIT_EXECUTABLE", None)
    program = bundle / ("guidelines-app.exe" if sys.platform == "win32" else "guidelines-app")
    done = subprocess.run([str(program), "--self-test", "--workspace", str(tmp_path / "ws")], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert "git is not installed" in done.stderr and "Install" in done.stderr and "Traceback" not in done.stderr
