"""A job for the fault tests only (the worker imports it with `--include`): it writes a record
in the job's transaction, says it is running, and waits for the test to let it finish, so the
test can kill the worker in the middle of it."""

import time
from pathlib import Path

from pmot.actors.models import Organization
from pmot.actors.roles import Sector
from pmot.core.outbox import outbox_task

WAIT_SECONDS = 120  # far longer than any test waits; a forgotten job still ends


@outbox_task
def record_then_wait(*, name: str, folder: str) -> None:
    Organization.objects.create(name=name, acronym="FALLA", sector=Sector.MUNICIPAL)
    folder = Path(folder)
    with (folder / "runs.txt").open("a") as runs:  # one line per run started, killed or not
        runs.write("run\n")
    deadline = time.monotonic() + WAIT_SECONDS
    while not (folder / "release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("the test never let the job finish")
        time.sleep(0.05)
