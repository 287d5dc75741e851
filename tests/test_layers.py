"""The apps depend one way, lowest first (DESIGN §3):

    core <- areas <- accounts <- movement <- models_registry <- rollups <- reports <- dashboard

with demo/ and bench/ above all. An app may import itself and the apps below it,
never one above, and no two apps may import each other. Read from the source
(AST), so an import inside a function counts as much as one at the top, and so
do the "app.Model" strings of lazy foreign keys."""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["core", "areas", "accounts", "movement", "models_registry", "rollups", "reports", "dashboard"]
# bench builds its data with demo's generators, so bench sits on demo.
ABOVE_ALL = ["demo", "bench"]
APPS = ORDER + ABOVE_ALL
# Lazy model references: ForeignKey("areas.Ward"), ManyToManyField("movement.Unit").
RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _rank(app):
    return APPS.index(app)


def _imported_apps(path):
    """(line, app) for each domain app the module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in RELATION_FIELDS and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str) and "." in node.args[0].value:
                names = [node.args[0].value]
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                yield node.lineno, top


def _modules(app):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _graph():
    edges, upward = {}, []
    for app in APPS:
        for path in _modules(app):
            for line, target in _imported_apps(path):
                if target == app:
                    continue
                edges.setdefault(app, set()).add(target)
                if _rank(target) > _rank(app):
                    upward.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return edges, upward


def test_no_app_imports_an_app_above_it():
    _edges, upward = _graph()
    assert upward == []


def test_no_two_apps_depend_on_each_other_even_through_others():
    edges, _upward = _graph()

    def reaches(start, goal, seen=()):
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, (*seen, nxt)))
                   for nxt in edges.get(start, ()))

    cycles = [f"{a} <-> {b}" for a in APPS for b in edges.get(a, ()) if reaches(b, a)]
    assert cycles == []


@pytest.mark.parametrize("source, expected", [
    ("from reports.figures import x\n", [(1, "reports")]),
    ("def f():\n    import dashboard.cache\n", [(2, "dashboard")]),
    ("ward = models.ForeignKey('movement.Unit', on_delete=None)\n", [(1, "movement")]),
    ("from .models import x\nimport os\n", []),
])
def test_the_walker_sees_every_kind_of_import(tmp_path, source, expected):
    # given a module with one kind of import; then the walker reports it
    module = tmp_path / "m.py"
    module.write_text(source)
    assert list(_imported_apps(module)) == expected


def test_the_walker_would_catch_an_upward_import(tmp_path, monkeypatch):
    # given core importing movement, as core/views.py once did
    fake = tmp_path / "core"
    fake.mkdir()
    (fake / "views.py").write_text("from movement.selectors import ward_unit_summary\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    # then
    _edges, upward = _graph()
    assert upward == ["core/views.py:1 imports movement"]
