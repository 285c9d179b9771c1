from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Organization, Program, private_upload_path


class Person(models.Model):
    """One human known to an organization. The same person may take part several times."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The portal login, once the person has one."),
    )
    first_name = models.CharField(_("first name"), max_length=120)
    last_name = models.CharField(_("last name"), max_length=120)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    city = models.CharField(_("city or town"), max_length=120, blank=True)
    region = models.CharField(_("region or province"), max_length=120, blank=True)
    country = models.CharField(
        _("country of residence"), max_length=80, blank=True, help_text=_("Where the person lives now.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    gender = models.CharField(_("gender (self-described)"), max_length=80, blank=True)
    cultural_background = models.CharField(_("cultural background"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(user__isnull=False),
                name="one_person_per_user_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("participants:person_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonLanguage(models.Model):
    class Proficiency(models.TextChoices):
        BASIC = "basic", _("Basic")
        CONVERSATIONAL = "conversational", _("Conversational")
        PROFESSIONAL = "professional", _("Professional working")
        FLUENT = "fluent", _("Fluent or native")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=60)
    proficiency = models.CharField(_("proficiency"), max_length=20, choices=Proficiency.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="one_row_per_language")]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_proficiency_display()})"


class Participation(models.Model):
    """A person in one program in one role, moving through the intake and matching pipeline."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SCREENING = "screening", _("Screening")
        INTERVIEW_SCHEDULED = "interview_scheduled", _("Interview scheduled")
        INTERVIEWED = "interviewed", _("Interviewed")
        ACCEPTED = "accepted", _("Accepted")
        ORIENTATION_DONE = "orientation_done", _("Orientation done")
        READY_TO_MATCH = "ready_to_match", _("Ready to match")
        MATCHED = "matched", _("Matched")
        COMPLETED = "completed", _("Completed")
        ALUMNI = "alumni", _("Alumni")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        REFERRED = "referred", _("Referred")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    status_reason = models.TextField(_("reason for the status"), blank=True)
    waitlist_position = models.PositiveIntegerField(_("position on the waitlist"), null=True, blank=True)
    decline_message = models.TextField(_("message to the applicant"), blank=True)
    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="participations"
    )
    previous_participation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="later_participations",
        help_text=_(
            "The person's earlier participation, when they come back (a mentee returning as mentor)."
        ),
    )
    heard_via = models.CharField(_("heard about the program via"), max_length=20, blank=True)
    source_partner = models.ForeignKey(
        "programs.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_participations",
        verbose_name=_("referred by partner"),
    )
    source_detail = models.CharField(_("source details"), max_length=200, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    communication_style = models.JSONField(_("communication style"), default=dict, blank=True)
    availability = models.JSONField(_("availability"), default=list, blank=True)
    meeting_modes = models.JSONField(_("meeting modes"), default=list, blank=True)
    open_to_other_regions = models.BooleanField(_("open to a match in another region"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "role", "status"])]
        constraints = [
            # Two quick submissions of the same form must not make two applications.
            models.UniqueConstraint(
                fields=["person", "program", "role"],
                condition=~models.Q(status__in=["withdrawn", "declined", "referred", "completed", "alumni"]),
                name="one_open_participation_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.program}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class MenteeProfile(models.Model):
    """What a mentee told us about their profession, credentials and goals."""

    class CredentialAssessment(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        NOT_NEEDED = "not_needed", _("Not needed")

    class Employment(models.TextChoices):
        NOT_EMPLOYED = "not_employed", _("Not employed")
        SURVIVAL = "survival", _("Working outside my field")
        RELATED = "related", _("Working in a related field")
        IN_FIELD = "in_field", _("Working in my field")
        STUDYING = "studying", _("Studying")

    class Goal(models.TextChoices):
        EMPLOYMENT_IN_FIELD = "employment_in_field", _("Employment in my field")
        RELATED_EMPLOYMENT = "related_employment", _("Employment in a related field")
        CERTIFICATION = "certification", _("Certification or licensure")
        LANGUAGE = "language", _("Language and communication")
        NETWORKING = "networking", _("Professional networking")
        WORKPLACE_CULTURE = "workplace_culture", _("Canadian workplace culture")

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="mentee_profile"
    )
    occupation = models.ForeignKey(
        "matching.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession before Canada (NOC)"),
    )
    occupation_title = models.CharField(_("job title before Canada"), max_length=200)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    education = models.CharField(_("highest education"), max_length=200, blank=True)
    credential_country = models.CharField(_("country of credentials"), max_length=80, blank=True)
    credential_assessment = models.CharField(
        _("credential assessment"),
        max_length=20,
        choices=CredentialAssessment.choices,
        default=CredentialAssessment.NOT_STARTED,
    )
    regulated_profession = models.BooleanField(_("regulated profession in Canada"), default=False)
    licensing_status = models.CharField(
        _("licensing status"), max_length=200, blank=True, help_text=_("For example: working toward APEGA.")
    )
    arrived_on = models.DateField(_("arrival date in Canada"), null=True, blank=True)
    not_yet_arrived = models.BooleanField(_("not yet in Canada"), default=False)
    language_clb = models.PositiveSmallIntegerField(
        _("English language level (CLB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    employment = models.CharField(
        _("current employment"), max_length=20, choices=Employment.choices, default=Employment.NOT_EMPLOYED
    )
    goals = models.JSONField(_("goals"), default=list, blank=True)
    requested_mentor_name = models.CharField(
        _("someone you would like as mentor"), max_length=200, blank=True
    )
    requested_mentor_email = models.EmailField(_("their email"), blank=True)
    wants_same_gender_mentor = models.BooleanField(
        _("would prefer a mentor of the same gender"),
        default=False,
        help_text=_("Matching weighs gender only for mentees who asked for this."),
    )

    class Meta:
        verbose_name = _("mentee profile")

    def __str__(self) -> str:
        return str(self.participation)


class MentorProfile(models.Model):
    """What a mentor told us about their work and how they want to help."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    occupation = models.ForeignKey(
        "matching.Occupation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current occupation (NOC)"),
    )
    occupation_title = models.CharField(_("job title"), max_length=200)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_partner = models.ForeignKey(
        "programs.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employed_mentors",
        verbose_name=_("employer (partner)"),
    )
    designation = models.CharField(
        _("professional designation"), max_length=80, blank=True, help_text=_("For example P.Eng., CPA, RN.")
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    is_retired = models.BooleanField(_("retired"), default=False)
    max_mentees = models.PositiveSmallIntegerField(
        _("mentees at once"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    open_to_group = models.BooleanField(_("open to group mentoring"), default=False)
    open_to_remote = models.BooleanField(_("open to a mentee in another region or abroad"), default=False)
    wants_hours_record = models.BooleanField(
        _("wants a record of hours for professional development"), default=False
    )

    class Meta:
        verbose_name = _("mentor profile")

    def __str__(self) -> str:
        return str(self.participation)


class Application(models.Model):
    """The public form exactly as the person submitted it, kept unchanged."""

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="application")
    submitted_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField(default=dict)
    privacy_notice = models.ForeignKey(
        "programs.PrivacyNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return str(self.participation)


class Resume(models.Model):
    """One uploaded version of a person's resume. Versions are kept; the newest is current."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="resumes")
    participation = models.ForeignKey(
        Participation, on_delete=models.SET_NULL, null=True, blank=True, related_name="resumes"
    )
    file = models.FileField(upload_to=private_upload_path)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    extracted_text = models.TextField(blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("resume")
        verbose_name_plural = _("resumes")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_filename


class Interview(models.Model):
    """A screening interview and the coordinator's structured assessment."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not attend")

    class Readiness(models.TextChoices):
        READY = "ready", _("Employment-ready")
        NEARLY = "nearly", _("Nearly ready")
        NOT_YET = "not_yet", _("Not ready yet")

    class Outcome(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        WAITLIST = "waitlist", _("Waitlist")
        REFER = "refer", _("Refer to a partner")
        DECLINE = "decline", _("Decline")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="interviews")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    scheduled_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=45)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.VIDEO)
    location = models.CharField(
        _("place or link"),
        max_length=300,
        blank=True,
        help_text=_("An address, a video link or a phone."),
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("interviewer"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    observed_clb = models.PositiveSmallIntegerField(
        _("observed language level (CLB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    readiness = models.CharField(_("readiness"), max_length=20, choices=Readiness.choices, blank=True)
    background_notes = models.TextField(_("professional background"), blank=True)
    personality_notes = models.TextField(_("personality and expectations"), blank=True)
    recommended_focus = models.TextField(_("recommended focus"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return _("Interview with %(person)s") % {"person": self.participation.person}


class Referral(models.Model):
    """A person sent to a partner's complementary program, and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Waiting to hear")
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        NO_RESPONSE = "no_response", _("No response")

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="referrals")
    partner = models.ForeignKey("programs.Partner", on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(_("program or service"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    referred_at = models.DateTimeField(default=timezone.now)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_notes = models.TextField(_("notes on the outcome"), blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at"]

    def __str__(self) -> str:
        return f"{self.participation.person} → {self.partner}"


class Consent(models.Model):
    """What a person agreed to, to which version of which text, and when."""

    class Kind(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
        STORY_CONTACT = "story_contact", _("May be asked for a story")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    participation = models.ForeignKey(
        Participation, on_delete=models.SET_NULL, null=True, blank=True, related_name="consents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    privacy_notice = models.ForeignKey(
        "programs.PrivacyNotice", on_delete=models.PROTECT, null=True, blank=True, related_name="consents"
    )
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"


# A participation in one of these states is over: the person may apply again. The unique
# constraint on Participation lists the same values (a migration cannot import this).
CLOSED_STATUSES = (
    Participation.Status.WITHDRAWN,
    Participation.Status.DECLINED,
    Participation.Status.REFERRED,
    Participation.Status.COMPLETED,
    Participation.Status.ALUMNI,
)


# --- The participant portal ----------------------------------------------------------------------


class HelpRequest(models.Model):
    """A "need help" message a participant sent from the portal. It waits on the coordinators'
    dashboard as a task until one of them marks it handled."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="help_requests")
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="help_requests", verbose_name=_("program")
    )
    match = models.ForeignKey(
        "matching.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("match"),
    )
    message = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "handled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handled_by__isnull=True) | models.Q(handled_at__isnull=False),
                name="help_request_handled_with_time",
            )
        ]

    def __str__(self) -> str:
        return _("Help request from %(person)s") % {"person": self.person}

    def clean(self) -> None:
        if self.match_id and self.program_id and self.match.program_id != self.program_id:
            raise ValidationError({"match": _("The match must belong to the program.")})

    @property
    def is_open(self) -> bool:
        return self.handled_at is None


class PartnerSharing(models.Model):
    """What the person's match partner may see about them once both have accepted. The name, the
    email address and the profession are always shared then: the email that starts the match
    already carries them. Without a row, the defaults below apply."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="partner_sharing")
    phone = models.BooleanField(_("My phone number"), default=False)
    location = models.BooleanField(_("My city, region and time zone"), default=True)
    languages = models.BooleanField(_("The languages I speak"), default=True)
    interests = models.BooleanField(_("My interests"), default=True)
    background = models.BooleanField(_("My education and experience"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("what the match partner may see")
        verbose_name_plural = _("what match partners may see")

    def __str__(self) -> str:
        return _("What %(person)s shares with a match partner") % {"person": self.person}


class ResourceRead(models.Model):
    """A program resource the person said they have read, for the onboarding checklist."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="resources_read")
    resource = models.ForeignKey("programs.ProgramResource", on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(_("read"), default=timezone.now)

    class Meta:
        verbose_name = _("resource read")
        verbose_name_plural = _("resources read")
        ordering = ["-read_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "resource"], name="one_read_per_resource")]

    def __str__(self) -> str:
        return f"{self.person} – {self.resource}"


class DataRequest(models.Model):
    """Something a person asked about their own data from the portal's "My data" page: a
    correction they cannot make themselves, leaving a program that a coordinator has to wind
    down (an open match), or the deletion of their data. It waits for a coordinator, who
    handles it with a note; a deletion is handled by erasing the data (`erasure.person_erase`)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correct my data")
        WITHDRAWAL = "withdrawal", _("Leave a program")
        DELETION = "deletion", _("Delete my data")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="data_requests")
    participation = models.ForeignKey(
        Participation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="data_requests",
        verbose_name=_("participation"),
        help_text=_("For leaving a program: the participation to end."),
    )
    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    outcome_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["handled_at", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(handled_by__isnull=True) | models.Q(handled_at__isnull=False),
                name="data_request_handled_with_time",
            )
        ]

    def __str__(self) -> str:
        return _("%(kind)s: request from %(person)s") % {
            "kind": self.get_kind_display(),
            "person": self.person,
        }

    def clean(self) -> None:
        if self.kind == self.Kind.WITHDRAWAL and self.participation_id is None:
            raise ValidationError({"participation": _("Say which program the person wants to leave.")})
        if self.participation_id and self.person_id and self.participation.person_id != self.person_id:
            raise ValidationError({"participation": _("The participation must be the person's own.")})

    @property
    def is_open(self) -> bool:
        return self.handled_at is None


# Alumni invitations live in their own module; importing them here makes them models of this app.
from .alumni_models import *  # noqa: E402, F403
