"""The rules of the public consultation, service by service."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees.models import Agreement
from phases.models import Comment, Consultation, Ruling
from phases.services import consultation as services
from tests.factories import UserFactory
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures
from tests.phases.consultation_fixtures import ADDRESS, PDF, after_close, answer_all, submit, today

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def create(program, agreement, **over):
    values = {
        "program": program,
        "title": "Consulta",
        "agreement": agreement,
        "opens_on": today(),
    } | over
    return services.consultation_create(**values)


# --- Creating ------------------------------------------------------------------------------------


def test_it_counts_business_days_by_default(open_phases, authorization, settings):
    settings.PMOT_CONSULTATION_DAYS = 30
    settings.PMOT_CONSULTATION_BUSINESS_DAYS = True
    made = create(open_phases[3].program, authorization)
    assert made.days == 30
    assert made.business_days is True
    assert made.closes_on > made.opens_on + datetime.timedelta(days=29 + 7)  # weekends skipped


def test_it_counts_calendar_days_when_asked(open_phases, authorization, legal_period):
    made = create(open_phases[3].program, authorization, days=15, business_days=False)
    assert made.closes_on == made.opens_on + datetime.timedelta(days=14)


def test_it_needs_phase_3_open(phases, authorization):
    with pytest.raises(ValidationError) as refused:
        create(phases[3].program, authorization)
    assert codes(refused.value) == {"phase"}


def test_it_needs_an_approved_agreement(open_phases, council_vote):
    rejected = council_vote(favour=2)
    assert rejected.status == Agreement.Status.REJECTED
    with pytest.raises(ValidationError) as refused:
        create(open_phases[3].program, rejected)
    assert codes(refused.value) == {"agreement"}


def test_it_does_not_open_before_its_agreement(open_phases, authorization):
    with pytest.raises(ValidationError) as refused:
        create(open_phases[3].program, authorization, opens_on=today() - datetime.timedelta(days=1))
    assert codes(refused.value) == {"before_agreement"}


def test_one_consultation_at_a_time(consultation, authorization):
    with pytest.raises(ValidationError) as refused:
        create(consultation.program, authorization)
    assert codes(refused.value) == {"one_at_a_time"}


def test_a_new_one_after_the_last_closed(consultation, authorization):
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    assert create(consultation.program, authorization).pk != consultation.pk


def test_its_documents_are_published(open_phases, authorization, make_document):
    draft = make_document(published=False, title="Borrador interno")
    with pytest.raises(ValidationError) as refused:
        create(open_phases[3].program, authorization, documents=[draft])
    assert "Borrador interno" in refused.value.messages[0]
    published = make_document(published=True, title="Proyecto de PMOT")
    made = create(open_phases[3].program, authorization, documents=[published])
    assert list(made.documents.all()) == [published]


# --- Hearings ------------------------------------------------------------------------------------


def at(day: datetime.date, hour=18) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_hearing_falls_within_the_period(consultation):
    hearing = services.hearing_add(
        consultation=consultation, place="Auditorio", starts_at=at(consultation.opens_on)
    )
    assert hearing.consultation == consultation
    with pytest.raises(ValidationError) as refused:
        services.hearing_add(
            consultation=consultation,
            place="Auditorio",
            starts_at=at(consultation.closes_on + datetime.timedelta(days=1)),
        )
    assert codes(refused.value) == {"period"}


def test_minutes_once_the_hearing_is_held(consultation):
    hearing = services.hearing_add(
        consultation=consultation,
        place="Auditorio",
        starts_at=at(consultation.opens_on + datetime.timedelta(days=2)),
    )
    with pytest.raises(ValidationError) as refused:
        services.hearing_minutes(hearing=hearing, minutes="Acta.")
    assert codes(refused.value) == {"not_held"}
    with pytest.raises(ValidationError):
        services.hearing_minutes(hearing=hearing, minutes="  ", now=after_close(consultation))
    services.hearing_minutes(hearing=hearing, minutes="Acta.", now=after_close(consultation))
    hearing.refresh_from_db()
    assert hearing.minutes == "Acta."


# --- Online comments -----------------------------------------------------------------------------


def test_comments_get_sequential_folios(consultation):
    first, second = submit(consultation), submit(consultation, address="198.51.100.1")
    year = consultation.opens_on.year
    assert (first.folio, second.folio) == (f"CP-{year}-00001", f"CP-{year}-00002")
    assert first.channel == Comment.Channel.ONLINE


def test_the_address_is_never_stored(consultation):
    comment = submit(consultation)
    assert comment.sender == services.sender_fingerprint(ADDRESS)
    assert len(comment.sender) == 64
    assert ADDRESS not in comment.sender
    assert services.sender_fingerprint(ADDRESS) != services.sender_fingerprint("203.0.113.8")


def test_the_fingerprint_depends_on_the_secret_key(settings):
    before = services.sender_fingerprint(ADDRESS)
    settings.SECRET_KEY = "otra-clave"
    assert services.sender_fingerprint(ADDRESS) != before


def test_comments_only_while_open(consultation):
    before = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        submit(consultation, now=before)
    assert codes(refused.value) == {"not_open"}
    with pytest.raises(ValidationError):
        submit(consultation, now=after_close(consultation))
    assert not Comment.objects.exists()


def test_the_rate_limit_per_address(consultation, settings):
    settings.PMOT_COMMENTS_PER_HOUR = 2
    now = timezone.now()
    submit(consultation, now=now - datetime.timedelta(minutes=30))
    submit(consultation, now=now - datetime.timedelta(minutes=10))
    with pytest.raises(ValidationError) as refused:
        submit(consultation, now=now)
    assert codes(refused.value) == {"rate_limited"}
    assert submit(consultation, address="198.51.100.9", now=now)  # another address may
    assert Comment.objects.count() == 3


def test_the_rate_limit_forgets_after_an_hour(consultation, settings):
    settings.PMOT_COMMENTS_PER_HOUR = 1
    now = timezone.now()
    submit(consultation, now=now - datetime.timedelta(minutes=61))
    assert submit(consultation, now=now)


def test_the_text_has_a_limit(consultation, settings):
    settings.PMOT_COMMENT_MAX_CHARS = 100
    with pytest.raises(ValidationError) as refused:
        submit(consultation, text="x" * 101)
    assert codes(refused.value) == {"too_long"}
    assert submit(consultation, text="x" * 100)


def test_name_topic_and_text_are_required(consultation):
    with pytest.raises(ValidationError) as refused:
        submit(consultation, name=" ", text="")
    assert codes(refused.value) == {"required"}


def test_an_attachment_is_checked(consultation, media):
    with pytest.raises(ValidationError) as refused:
        submit(consultation, attachment=SimpleUploadedFile("plano.pdf", b"<html>no</html>"))
    assert codes(refused.value) == {"content"}
    assert not Comment.objects.exists()
    comment = submit(consultation, attachment=SimpleUploadedFile("plano.pdf", PDF))
    assert (comment.attachment_name, comment.attachment_type) == ("plano.pdf", "application/pdf")
    assert comment.attachment.name.endswith(".pdf")
    assert "plano" not in comment.attachment.name  # stored under a random name


def test_an_oversized_attachment_is_refused(consultation, media, settings):
    settings.PMOT_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("plano.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        submit(consultation, attachment=big)
    assert codes(refused.value) == {"too_large"}


def test_a_second_consultation_of_the_year_has_its_own_folios(consultation, authorization):
    submit(consultation)
    answer_all(consultation, UserFactory())
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    second = services.consultation_create(
        program=consultation.program,
        title="Segunda consulta",
        agreement=authorization,
        opens_on=today(),
        days=10,
        business_days=False,
    )
    assert submit(second, address="198.51.100.2").folio == f"CP-{today().year}-2-00001"


# --- Comments on paper and at hearings -----------------------------------------------------------


def record(consultation, **over):
    values = {
        "consultation": consultation,
        "channel": Comment.Channel.PAPER,
        "received_on": today(),
        "name": "Luis Gómez",
        "topic": "Agua",
        "text": "Cuidar el acuífero.",
    } | over
    return services.comment_record(**values)


def test_staff_record_a_paper_comment_within_the_period(consultation):
    comment = record(consultation)
    assert comment.channel == Comment.Channel.PAPER
    assert comment.sender == ""
    assert timezone.localdate(comment.received_at) == today()
    with pytest.raises(ValidationError) as refused:
        record(consultation, received_on=today() - datetime.timedelta(days=1))
    assert codes(refused.value) == {"period"}
    with pytest.raises(ValidationError) as refused:
        record(consultation, received_on=today() + datetime.timedelta(days=1))
    assert codes(refused.value) == {"future"}


def test_a_hearing_comment_names_its_hearing(consultation):
    with pytest.raises(ValidationError) as refused:
        record(consultation, channel=Comment.Channel.HEARING)
    assert codes(refused.value) == {"hearing"}
    hearing = services.hearing_add(
        consultation=consultation, place="Auditorio", starts_at=at(today(), hour=0)
    )
    comment = record(consultation, channel=Comment.Channel.HEARING, hearing=hearing)
    assert comment.hearing == hearing
    assert comment.received_at == hearing.starts_at


def test_staff_do_not_record_online_comments(consultation):
    with pytest.raises(ValidationError) as refused:
        record(consultation, channel=Comment.Channel.ONLINE)
    assert codes(refused.value) == {"channel"}


def test_folios_are_shared_by_every_channel(consultation):
    assert submit(consultation).folio.endswith("00001")
    assert record(consultation).folio.endswith("00002")


# --- Rulings -------------------------------------------------------------------------------------


def test_a_ruling_other_than_upheld_needs_its_answer(consultation):
    comment, planner = submit(consultation), UserFactory()
    for ruling in Ruling.needing_answer():
        with pytest.raises(ValidationError) as refused:
            services.comment_rule(comment=comment, ruling=ruling, answer="  ", by=planner)
        assert codes(refused.value) == {"answer"}
    ruled = services.comment_rule(comment=comment, ruling=Ruling.UPHELD, answer="", by=planner)
    assert (ruled.ruling, ruled.ruled_by) == (Ruling.UPHELD, planner)
    assert ruled.ruled_at is not None
    assert ruled.is_answered


def test_a_ruling_may_be_revised_until_closed(consultation):
    comment, planner = submit(consultation), UserFactory()
    services.comment_rule(comment=comment, ruling=Ruling.UPHELD, answer="", by=planner)
    services.comment_rule(comment=comment, ruling=Ruling.REJECTED, answer="Razones.", by=planner)
    comment.refresh_from_db()
    assert (comment.ruling, comment.answer) == (Ruling.REJECTED, "Razones.")
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    with pytest.raises(ValidationError) as refused:
        services.comment_rule(comment=comment, ruling=Ruling.UPHELD, answer="", by=planner)
    assert codes(refused.value) == {"closed"}


def test_an_unknown_ruling_is_refused(consultation):
    with pytest.raises(ValidationError):
        services.comment_rule(
            comment=submit(consultation), ruling="maybe", answer="", by=UserFactory()
        )


# --- Closing and publishing ----------------------------------------------------------------------


def test_it_closes_only_after_the_period(consultation):
    with pytest.raises(ValidationError) as refused:
        services.consultation_close(consultation=consultation)
    assert codes(refused.value) == {"period"}


def test_it_does_not_close_while_a_comment_is_unanswered(consultation):
    pending = submit(consultation)
    ruled = submit(consultation, address="198.51.100.3")
    Comment.objects.filter(pk=ruled.pk).update(ruling=Ruling.UPHELD)
    with pytest.raises(ValidationError) as refused:
        services.consultation_close(consultation=consultation, now=after_close(consultation))
    assert pending.folio in refused.value.messages[0]
    assert ruled.folio not in refused.value.messages[0]
    consultation.refresh_from_db()
    assert consultation.closed_at is None


def test_it_does_not_close_while_a_hearing_lacks_its_minutes(consultation):
    services.hearing_add(consultation=consultation, place="Auditorio", starts_at=at(today()))
    with pytest.raises(ValidationError) as refused:
        services.consultation_close(consultation=consultation, now=after_close(consultation))
    assert "Auditorio" in refused.value.messages[0]


def test_it_closes_once_everything_is_answered(consultation):
    submit(consultation)
    answer_all(consultation, UserFactory())
    closed = services.consultation_close(consultation=consultation, now=after_close(consultation))
    assert closed.stage() == Consultation.Stage.CLOSED
    with pytest.raises(ValidationError) as refused:
        services.consultation_close(consultation=consultation, now=after_close(consultation))
    assert codes(refused.value) == {"closed"}


def test_nothing_changes_once_closed(consultation):
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    with pytest.raises(ValidationError):
        record(consultation)
    with pytest.raises(ValidationError):
        services.hearing_add(consultation=consultation, place="Aula", starts_at=at(today()))


def test_answers_are_published_once_closed(consultation):
    with pytest.raises(ValidationError) as refused:
        services.answers_publish(consultation=consultation)
    assert codes(refused.value) == {"not_closed"}
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    published = services.answers_publish(consultation=consultation)
    assert published.answers_published_at is not None
    with pytest.raises(ValidationError) as refused:
        services.answers_publish(consultation=consultation)
    assert codes(refused.value) == {"published"}
