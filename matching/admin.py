"""The Django admin shows matching data for support; coordinators work in the staff pages,
whose services keep the rules and the activity log. Hence read-only pages here."""

from django.contrib import admin

from .models import (
    Agreement,
    AgreementTemplate,
    AssignmentRun,
    CheckIn,
    CheckInSchedule,
    Circle,
    CircleMembership,
    DoNotMatch,
    Goal,
    GoalNote,
    GoalTemplate,
    Match,
    Meeting,
    Occupation,
)


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


@admin.register(CheckInSchedule)
class CheckInScheduleAdmin(ReadOnlyAdmin):
    list_display = ["program", "first_after_days", "then_every_days", "at_risk_no_meeting_days"]
    list_select_related = ["program"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "match", "status", "with_whom", "satisfaction", "done_at", "done_by"]
    list_filter = ["status", "with_whom", "satisfaction"]
    list_select_related = ["match__mentee__person", "match__mentor__person", "done_by"]
    date_hierarchy = "due_on"


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "updated_at"]
    list_select_related = ["program"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "planned_end_on", "mentee_acknowledged_at", "mentor_acknowledged_at"]
    list_select_related = ["match__mentee__person", "match__mentor__person"]
    date_hierarchy = "created_at"


@admin.register(GoalTemplate)
class GoalTemplateAdmin(ReadOnlyAdmin):
    list_display = ["title", "program", "category", "is_active"]
    list_filter = ["category", "is_active", "program__organization"]
    list_select_related = ["program"]
    search_fields = ["title"]


class GoalNoteInline(admin.TabularInline):
    model = GoalNote
    extra = 0
    fields = ["created_at", "author_role", "author", "new_status", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["title", "match", "category", "status", "target_date"]
    list_filter = ["status", "category"]
    list_select_related = ["match__mentee__person", "match__mentor__person"]
    search_fields = ["title"]
    inlines = [GoalNoteInline]
