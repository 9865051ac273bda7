"""The README's install-and-run command, run exactly as written, in a terminal with a fresh home
folder: it makes its own virtual environment, installs hipquiz and opens it. (CI runs the README's
test command as written too: .ci/run reads it from the README.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from e2e_support import Terminal

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    """The first line of each of the README's first two code blocks."""
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", (REPO / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    return [block.splitlines()[0] for block in blocks[:2]]


def test_the_readme_opens_with_an_install_command_and_a_test_command():
    install, tests = readme_commands()
    assert install.endswith("hipquiz") and "pip install ." in install
    assert "pytest" in tests and "'.[test]'" in tests


def test_the_install_command_as_written_installs_and_opens_hipquiz(tmp_path: Path):
    install, _ = readme_commands()
    home = tmp_path / "home"
    home.mkdir()
    cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True).stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST", "VIRTUAL_ENV"))}
    # A home of its own (the command's ~ paths land there), the machine's pip cache for speed.
    env.update(HOME=str(home), HIPQUIZ_DATA=str(tmp_path / "data"), TERM="xterm-256color",
               PIP_CACHE_DIR=cache or str(home / ".cache" / "pip"), PIP_DISABLE_PIP_VERSION_CHECK="1")
    term = Terminal(["bash", "-c", f"cd {REPO} && {install}"], env)
    try:
        term.wait_for("to study today", timeout=540)
        term.press("q")
        term.child.expect(pexpect.EOF, timeout=60)
    finally:
        term.child.close(force=True)
    assert term.child.exitstatus == 0
    assert (home / ".hipquiz-venv" / "bin" / "hipquiz").exists()
