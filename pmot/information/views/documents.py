"""Pages of the documents of the information base and their files (staff pages), and the
published documents (public pages, `login_not_required`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.history import Source, last_changed
from pmot.core.permissions import get_object_for_view, require_perm
from pmot.core.public_cache import public_page
from pmot.core.views import history_page
from pmot.information import permissions, selectors
from pmot.information.forms import (
    DocumentForm,
    FileForm,
    RejectRevisionForm,
)
from pmot.information.models import (
    Document,
    DocumentFile,
    DocumentRevision,
)
from pmot.information.services import documents as services

WAITS_FOR_REVIEW = gettext_lazy(
    "Change recorded: it waits for IMPLAN's review, and the public reads the published version "
    "until then."
)


def _form_errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "information.view_document")
    return render(
        request,
        "information/document_list.html",
        {
            "documents": selectors.documents_visible_to(request.user),
            "can_add": permissions.can_add_document(request.user),
        },
    )


@require_safe
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_for_view(
        request.user, Document.objects.select_related("author_organization"), pk=pk
    )
    return _document_page(request, document)


def _document_page(request, document: Document, **bound) -> HttpResponse:
    """The staff page of a document; `bound` holds a refused review form."""
    can_change = permissions.can_change_document(request.user, document)
    revision = document.revisions.filter(status=DocumentRevision.Status.PENDING).first()
    reviews = revision is not None and permissions.can_publish(request.user)
    return render(
        request,
        "information/document_detail.html",
        {
            "document": document,
            "files": document.files.select_related("revision"),
            "units": document.units.order_by("kind", "key"),
            "can_change": can_change,
            "file_form": FileForm() if can_change else None,
            "revision": revision,
            "revision_rows": services.describe_revision(revision) if revision else [],
            "can_review": reviews and request.user.pk != revision.by_id,
            "reject_form": bound.get("reject_form") or RejectRevisionForm(),
        },
        status=400 if bound else 200,
    )


def _reviewed_revision(request, pk) -> DocumentRevision:
    revision = get_object_or_404(DocumentRevision.objects.select_related("document"), pk=pk)
    get_object_for_view(request.user, Document.objects.all(), pk=revision.document_id)
    if not permissions.can_publish(request.user):
        raise PermissionDenied
    return revision


@require_POST
def revision_approve(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _reviewed_revision(request, pk)
    service_call(
        request,
        lambda: services.revision_approve(revision=revision, by=request.user),
        _("Revision approved: the public reads the document as revised."),
    )
    return redirect("information:document_detail", pk=revision.document_id)


@require_POST
def revision_reject(request: HttpRequest, pk: int) -> HttpResponse:
    revision = _reviewed_revision(request, pk)
    form = RejectRevisionForm(request.POST)
    if not form.is_valid():
        return _document_page(request, revision.document, reject_form=form)
    service_call(
        request,
        lambda: services.revision_reject(
            revision=revision, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Revision rejected: the document keeps its published version."),
    )
    return redirect("information:document_detail", pk=revision.document_id)


@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_add_document(request.user):
        raise PermissionDenied
    return _document_form(request, Document())


@require_http_methods(["GET", "POST"])
def document_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _document_form(request, _changeable_document(request, pk))


def _changeable_document(request, pk) -> Document:
    document = get_object_for_view(
        request.user, Document.objects.select_related("author_organization"), pk=pk
    )
    if not permissions.can_change_document(request.user, document):
        raise PermissionDenied
    return document


def _document_form(request, document: Document) -> HttpResponse:
    form = DocumentForm(
        request.POST or None, request.FILES or None, instance=document, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.document_save(
                document=form.save(commit=False),
                units=form.cleaned_data["units"],
                files=form.cleaned_data["files"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            if isinstance(saved, DocumentRevision):
                messages.success(request, WAITS_FOR_REVIEW)
                return redirect("information:document_detail", pk=saved.document_id)
            messages.success(request, _("Document saved."))
            return redirect("information:document_detail", pk=form.instance.pk)
    return render(request, "information/document_form.html", {"form": form, "document": document})


@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    document = _changeable_document(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            added = services.document_file_add(
                document=document, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            _form_errors_to_messages(request, error)
        else:
            messages.success(
                request, WAITS_FOR_REVIEW if added.revision_id else _("File attached.")
            )
    return redirect("information:document_detail", pk=document.pk)


@require_safe
@login_not_required
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file of a published document for anyone; of any other, for those who read documents.
    Always as an attachment, with the type its content was checked against."""
    stored = get_object_or_404(DocumentFile.objects.select_related("document", "revision"), pk=pk)
    document = stored.document
    public = document.is_published and DocumentFile.objects.public().filter(pk=pk).exists()
    if not public and not request.user.has_perm("information.view_document"):
        raise Http404
    return file_response(
        stored.file,
        filename=stored.original_name,
        content_type=stored.content_type,
        private=not public,
    )


@require_safe
@login_not_required
@public_page
def public_documents(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "information/public/document_list.html",
        {
            "documents": selectors.published_documents(),
            "updated": last_changed(Document.objects.published()),
        },
    )


@require_safe
@login_not_required
@public_page
def public_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(selectors.published_documents(), pk=pk)
    return render(
        request,
        "information/public/document_detail.html",
        {"document": document, "updated": last_changed(Document.objects.filter(pk=document.pk))},
    )


@require_safe
def document_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The document and its files."""
    document = get_object_for_view(
        request.user, Document.objects.select_related("author_organization"), pk=pk
    )
    return history_page(
        request,
        record=document,
        dependents=[
            Source(
                DocumentFile.history.filter(document_id=document.pk),
                lambda row: row.original_name,
            ),
            Source(
                DocumentRevision.history.filter(document_id=document.pk).select_related("by"),
                lambda row: (
                    _("revision asked by %(who)s")
                    % {"who": row.by.get_full_name() or row.by.username}
                ),
            ),
        ],
        back_url=reverse("information:document_detail", args=[document.pk]),
    )
