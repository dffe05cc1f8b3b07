"""``core.imports.without``: a package hidden for the time of a block, then back as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.imports import without


def test_a_hidden_package_cannot_be_imported_inside_the_block_only() -> None:
    code = (
        "import sys\n"
        "from core.imports import without\n"
        "with without('fsspec'):\n"
        "    try:\n"
        "        import fsspec\n"
        "    except ImportError:\n"
        "        print('hidden')\n"
        "assert 'fsspec' not in sys.modules\n"
        "import fsspec\n"
        "print('back')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["hidden", "back"]


def test_a_package_imported_already_is_kept() -> None:
    import json

    with without("json"):
        import json as again
    assert again is json and sys.modules["json"] is json


def test_the_block_restores_the_modules_after_an_error() -> None:
    with pytest.raises(RuntimeError), without("a_package_never_installed"):
        raise RuntimeError
    assert "a_package_never_installed" not in sys.modules
