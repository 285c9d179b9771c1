"""Reminders and notifications: the sending machinery in one place; each app declares what is due.

It is an app of its own because the machinery serves every other app. A reminder kind says in a
`reminders.py` module what is due and what the email says: an interview tomorrow, orientation
not finished, an introduction waiting for an answer (here); no meeting logged, a goal's date,
check-ins, closing surveys and employment follow-ups (matching); the intake's emails sent at once
when something happens, such as the interview invitation (participants); the coordinators' weekly
digest (here). This app owns the rest, the same for every kind: the per-program cadences
coordinators change, the periodic sweep that asks the database what is due, the sent-log that
makes each email go out once, the participants' choices and unsubscribe links, and the outbox
staff read.
"""
