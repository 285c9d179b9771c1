"""Reminders and notifications: the sending machinery in one place; each app declares what is due.

It is an app of its own because the machinery serves every other app. A reminder kind (an
interview tomorrow, orientation not finished, an introduction waiting for an answer, the
coordinators' weekly digest) says in a `reminders.py` module what is due and what the email
says; this app owns the rest, the same for every kind: the per-program cadences coordinators
change, the periodic sweep that asks the database what is due, the sent-log that makes each
reminder go out once, the unsubscribe choices, and the outbox staff read.
"""
