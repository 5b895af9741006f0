from django.conf import settings


def site(request):
    """What every page needs: the brand, the demo-data banner and the CSP nonce.

    django-htmx's script tag looks for `csp_nonce` in the context.
    """
    return {
        "brand": settings.PMOT_BRAND,
        "demo_data": settings.PMOT_DEMO_DATA,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
