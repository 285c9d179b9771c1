from django.contrib import admin

from .models import ProgramCadence, SentReminder, Unsubscribe


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "status", "due_on", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "recipient_name", "subject"]
    readonly_fields = [field.name for field in SentReminder._meta.fields]


@admin.register(ProgramCadence)
class ProgramCadenceAdmin(admin.ModelAdmin):
    list_display = ["program", "kind", "enabled", "days"]
    list_filter = ["kind", "enabled"]


@admin.register(Unsubscribe)
class UnsubscribeAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    search_fields = ["email"]
