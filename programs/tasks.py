from celery import shared_task

from .models import StaffMembership
from .services import staff_invitation_send


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=8,
)
def send_staff_invitation(membership_id: int) -> None:
    membership = (
        StaffMembership.objects.select_related("user", "organization").filter(pk=membership_id).first()
    )
    if membership is None or not membership.is_active:
        return
    staff_invitation_send(membership=membership)
