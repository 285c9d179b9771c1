from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def verify_email_on_password_reset(sender, request, user, **kwargs) -> None:
    # Invited staff and participants choose their first password through an emailed link;
    # following that link proves they own the address, so they need no second verification.
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
