from pmot.actors.models import Municipality


def municipality(request):
    """The municipality's name for the header and footer of every page (one small query)."""
    return {"municipality": Municipality.objects.only("name", "state").first()}
