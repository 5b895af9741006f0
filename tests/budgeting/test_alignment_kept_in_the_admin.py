"""Alignment is never lost silently (issue 17, defect 10, the same fault elsewhere): the admin
does not delete a plan element, nor a plan, that POA actions are aligned to."""

from django.urls import reverse

from budgeting.services import poa as poa_services
from pmot.planning.models import Plan, PlanElement
from pmot.planning.services import plans as planning


def test_the_admin_keeps_plan_elements_that_actions_are_aligned_to(
    client_as, draft_poa, make_action, pmot_strategy
):
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    spare = planning.element_add(
        plan=pmot_strategy.plan, key="1.9", name="Sin acciones", parent=pmot_strategy.parent
    )
    admin = client_as("admin")

    delete = reverse("admin:planning_planelement_delete", args=[pmot_strategy.pk])
    assert admin.get(delete).status_code == 403
    assert admin.post(delete, {"post": "yes"}).status_code == 403
    plan_delete = reverse("admin:planning_plan_delete", args=[pmot_strategy.plan_id])
    assert admin.post(plan_delete, {"post": "yes"}).status_code == 403
    assert action.alignments.filter(pk=pmot_strategy.pk).exists()
    assert Plan.objects.filter(pk=pmot_strategy.plan_id).exists()

    spare_delete = reverse("admin:planning_planelement_delete", args=[spare.pk])
    assert admin.post(spare_delete, {"post": "yes"}).status_code == 302
    assert not PlanElement.objects.filter(pk=spare.pk).exists()
