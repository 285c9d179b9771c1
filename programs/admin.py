from django.contrib import admin

from .models import ActivityEntry, Funder, FunderMembership, Funding, Organization, Program, StaffMembership


class ProgramInline(admin.TabularInline):
    model = Program
    extra = 0
    fields = ["name", "slug", "region", "is_active"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgramInline]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "region", "is_active"]
    list_filter = ["is_active", "organization"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "organization"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["programs"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    inlines = [FundingInline]


@admin.register(FunderMembership)
class FunderMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "funder"]
    autocomplete_fields = ["user"]


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, even for superusers."""

    list_display = ["created_at", "actor", "verb", "target_repr", "organization", "program"]
    list_filter = ["verb", "organization"]
    search_fields = ["target_repr", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
