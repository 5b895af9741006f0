"""The layout of ARCHITECTURE.md where import-linter cannot see it (issue 20): only services write
to the database. Views, forms, admin, tasks, selectors and commands call a service to change
anything, so each rule of a write has one place.

A write is found by its shape: `.save(`, `.create(`, `.update(`, `.delete(` and their bulk and
get-or-create kinds. What only looks like one is told apart by its arguments: a file storage or a
workbook saves *something* (`storage.save(name, content)`), a dict or a cache updates or deletes
*something* (`context.update(other)`, `cache.delete(key)`); a model's or a form's own `save`
calling `super()` is the save its caller makes."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pmot", "committees", "phases", "budgeting", "evaluation")
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}

# Where else a write is one, and why: few, and each for a reason of its own.
ALLOWED = {
    "pmot/core/outbox.py": "the outbox is the service of its own rows (a job's status and tries)",
    "pmot/core/imports.py": "the records of an import, written only for the apps' import services",
    "pmot/actors/lockout.py": "the login's failure counters, written by the authentication "
    "backend as each login is tried, before any view",
    "pmot/actors/two_factor.py": "the second step's devices and session marks (django-otp), "
    "written by its middleware and its pages",
    "pmot/actors/security_log.py": "the security log's one writer: a row per login, lockout or "
    "second step",
    "pmot/actors/roles.py": "sync_role_groups, run by migrations: the role groups' permissions",
    "pmot/actors/admin.py": "the admin saves the one field it lets an administrator change "
    "(a membership's position); everything else goes through memberships' services",
    "committees/admin.py": "the admin saves a seat's own fields; its end goes through "
    "committees' services",
}


def may_write(path: Path) -> bool:
    """Services write; so do migrations with their seeds (the catalogues they load), and the
    demo data."""
    parts = path.relative_to(ROOT).parts
    return (
        "services" in parts
        or "migrations" in parts
        or path.stem == "seeds"
        or "demo" in parts
        or path.stem == "demo"
    )


def writes_in(path: Path) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{write}" for write in writes_in_code(path.read_text("utf-8"))
    ]


def writes_in_code(code: str) -> list[str]:
    """Each write as `line: receiver.method(`."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            continue
        receiver = ast.unparse(node.func.value)
        name = node.func.attr
        if receiver == "super()":
            continue
        if name in {"save", "update", "delete"} and node.args:
            continue  # a storage, a workbook, a dict, a cache
        if name == "save" and any(k.arg == "commit" for k in node.keywords):
            continue  # a form that writes nothing yet
        found.append(f"{node.lineno}: {receiver}.{name}(")
    return found


def source_files():
    for source in SOURCES:
        yield from sorted((ROOT / source).rglob("*.py"))


def test_only_services_write_to_the_database():
    outside = [
        write
        for path in source_files()
        if not may_write(path) and str(path.relative_to(ROOT)) not in ALLOWED
        for write in writes_in(path)
    ]
    assert outside == [], "a write outside services:\n" + "\n".join(outside)


def test_every_exception_is_still_needed():
    for relative, why in ALLOWED.items():
        assert writes_in(ROOT / relative), f"{relative} writes nothing now ({why}): remove it"


def test_the_finder_sees_a_write_and_passes_over_what_only_looks_like_one():
    code = (
        "def view(form, storage, context, cache, qs):\n"
        "    form.save()\n"
        "    qs.filter(a=1).update(b=2)\n"
        "    qs.first().delete()\n"
        "    Thing.objects.create(a=1)\n"
        "    form.save(commit=False)\n"
        "    storage.save('a.pdf', b'')\n"
        "    context.update({'a': 1})\n"
        "    cache.delete('key')\n"
        "    super().save()\n"
    )
    assert sorted(writes_in_code(code)) == [
        "2: form.save(",
        "3: qs.filter(a=1).update(",
        "4: qs.first().delete(",
        "5: Thing.objects.create(",
    ]
