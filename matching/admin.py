"""The Django admin shows matching data for support; coordinators work in the staff pages,
whose services keep the rules and the activity log. Hence read-only pages here."""

from django.contrib import admin

from .models import AssignmentRun, Circle, CircleMembership, DoNotMatch, Match, Meeting, Occupation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "level"]
    list_filter = ["level"]
    search_fields = ["code", "title"]


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "status", "score", "proposed_at", "started_on", "planned_end_on"]
    list_filter = ["status", "program__organization"]
    search_fields = [
        "mentee__person__first_name",
        "mentee__person__last_name",
        "mentor__person__first_name",
        "mentor__person__last_name",
    ]
    list_select_related = ["program", "mentee__person", "mentor__person"]
    date_hierarchy = "proposed_at"


@admin.register(DoNotMatch)
class DoNotMatchAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "organization", "kind", "created_at"]
    list_filter = ["kind", "organization"]
    list_select_related = ["organization", "mentee", "mentor"]


@admin.register(AssignmentRun)
class AssignmentRunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "status", "min_score", "created_by"]
    list_filter = ["status", "program__organization"]
    list_select_related = ["program", "created_by"]


class CircleMembershipInline(admin.TabularInline):
    model = CircleMembership
    extra = 0
    fields = ["participation", "role", "joined_at", "left_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Circle)
class CircleAdmin(ReadOnlyAdmin):
    list_display = ["name", "program", "status", "started_on", "planned_end_on"]
    list_filter = ["status", "program__organization"]
    search_fields = ["name", "focus"]
    inlines = [CircleMembershipInline]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "occurred_on", "duration_minutes", "mode", "logged_as", "logged_by"]
    list_filter = ["mode", "logged_as", "occurred_on"]
    list_select_related = ["circle", "match__mentee__person", "match__mentor__person", "logged_by"]
    date_hierarchy = "occurred_on"
