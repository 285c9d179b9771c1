"""The participants' front door. It grows with the portal issue; today it greets and explains."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Person


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    people = Person.objects.filter(user=request.user).prefetch_related("participations__program")
    participations = [p for person in people for p in person.participations.all()]
    return render(request, "portal/home.html", {"participations": participations})
