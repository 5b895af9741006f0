"""Fail when the Spanish catalogue has an untranslated or fuzzy entry (`make check-messages`)."""

import sys

from babel.messages.pofile import read_po


def main(path: str) -> int:
    with open(path, "rb") as f:
        catalog = read_po(f)
    missing = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")  # noqa: T201
    if missing:
        print(f"{len(missing)} strings lack Spanish text in {path}")  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
