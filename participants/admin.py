from django.contrib import admin

from .models import Participation, Person


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
