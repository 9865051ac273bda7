"""The domain core never imports the UI toolkit: it stays fast to start and testable alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "hipquiz" / "core"
# Recursively: a package inside the core (core/store/, core/questions/) is core too.
MODULES = sorted(".".join(("hipquiz", *p.relative_to(CORE.parent).with_suffix("").parts)).removesuffix(".__init__")
                 for p in CORE.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES)
def test_core_module_does_not_import_textual_or_rich(module):
    code = f"import sys, {module}; print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_version_does_not_load_the_ui():
    code = ("import sys; from hipquiz.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("False")
