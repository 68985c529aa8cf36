"""The layering of DESIGN.md: engine/ is free of textual and sync; sync/ is free of textual;
inside the engine, a form's life (engine.forms) knows nothing of cases or reports, and case
work (engine.casework) nothing of reports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "engine": {"textual", "sync", "tui"},
    "engine/forms": {
        "textual",
        "sync",
        "tui",
        "engine.casework",
        "engine.report",
        "engine.definitions",
    },
    "engine/casework": {"textual", "sync", "tui", "engine.report", "engine.definitions"},
    "sync": {"textual", "tui"},
}


def imported_modules(path: Path) -> set[str]:
    """The modules a file imports, with every parent package (`a.b.c` gives a, a.b, a.b.c)."""
    tree = ast.parse(path.read_text("utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            names |= {".".join(parts[: i + 1]) for i in range(len(parts))}
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_does_not_import_forbidden_layers(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if imported_modules(path) & FORBIDDEN[package]
    }
    assert offenders == {}


def test_the_forms_package_loads_nothing_of_cases_or_reports() -> None:
    # `engine/__init__` gathers the public API from every room; skip it to see what the form
    # modules themselves pull in.
    code = (
        "import sys, types\n"
        f"engine = types.ModuleType('engine'); engine.__path__ = [{str(ROOT / 'engine')!r}]\n"
        "sys.modules['engine'] = engine\n"
        "import engine.forms.registry, engine.forms.lint, engine.forms.classification\n"
        "import engine.forms.needs, engine.forms.validation\n"
        "engine.forms.registry.FormRegistry.load()\n"
        "rooms = ('engine.casework', 'engine.report', 'engine.definitions', 'sync', 'textual')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(rooms))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_importing_the_engine_loads_no_forbidden_module() -> None:
    code = (
        "import sys, engine, engine.forms.registry, engine.forms.lint\n"
        "engine.FormRegistry.load()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'sync', 'tui'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("import textual.app\nfrom sync import store\nfrom engine import casework\n")
    assert imported_modules(module) >= {"textual", "sync", "engine.casework"}


def test_reportlab_is_imported_by_the_report_package_only() -> None:
    outside = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "engine").rglob("*.py")
        if "reportlab" in imported_modules(path) and path.parent.name != "report"
    ]
    assert outside == []
    code = (
        "import sys, engine, engine.casework.schedule, engine.casework.early_warning\n"
        "import engine.casework.demo_caseload\n"
        "print(any(m.startswith('reportlab') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
