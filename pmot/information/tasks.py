from pmot.core.outbox import outbox_task
from pmot.information.services import imports as services


@outbox_task
def import_units(*, unit_import_id: int) -> None:
    services.unit_import_run(unit_import_id=unit_import_id)
