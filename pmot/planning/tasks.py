from pmot.core.outbox import outbox_task
from pmot.planning.services import imports as services


@outbox_task
def import_plan_elements(*, plan_import_id: int) -> None:
    services.plan_import_run(plan_import_id=plan_import_id)
