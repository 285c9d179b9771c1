from django.contrib import admin

from .models import HelpRequest, Participation, Person


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    fields = ["program", "role", "status"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "organization", "city"]
    list_filter = ["organization"]
    search_fields = ["first_name", "last_name", "email"]
    inlines = [ParticipationInline]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin):
    list_display = ["person", "program", "created_at", "handled_at"]
    list_filter = ["program"]
    raw_id_fields = ["person", "match", "handled_by"]
