from budgeting.models import Poa
from budgeting.selectors import Filters
from budgeting.services import exports, imports
from pmot.core.outbox import outbox_task


@outbox_task
def render_poa_table_pdf(*, poa_id: int, token: str, filters: dict) -> None:
    exports.table_pdf_render(
        poa=Poa.objects.select_related("unit").get(pk=poa_id),
        filters=Filters(**filters),
        token=token,
    )


@outbox_task
def import_poa_actions(*, poa_import_id: int) -> None:
    imports.import_run(poa_import_id=poa_import_id)
