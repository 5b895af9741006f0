from pmot.actors.models import Administration
from pmot.core.outbox import outbox_task
from pmot.portal.services import handover


@outbox_task
def render_handover_pdf(*, administration_id: int, token: str) -> None:
    handover.handover_render(
        administration=Administration.objects.get(pk=administration_id), token=token
    )
