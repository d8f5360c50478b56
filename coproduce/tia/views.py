from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from coproduce.accounts import roles
from coproduce.accounts.types import AuthenticatedHttpRequest
from coproduce.tia import selectors


def _may_see(request: AuthenticatedHttpRequest) -> None:
    if not roles.can_see_tia_pack(request.user):
        raise PermissionDenied


@login_required
def pack(request: AuthenticatedHttpRequest) -> HttpResponse:
    _may_see(request)
    return render(request, "tia/pack.html", selectors.pack(request.user))


@login_required
def pack_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The same pack as a PDF (PDF/UA), its links pointing back to this site."""
    _may_see(request)
    from weasyprint import HTML

    context = selectors.pack(request.user)
    html = render_to_string("tia/pack_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tia-evidence-pack-{context["made_on"]:%Y-%m-%d}.pdf"'
    )
    return response
