"""Accounts: the user model and how people sign in.

Its own app because every other app points at the user model, and Django needs a custom
user model in the very first migration; staff, participants and funder users all sign in
through it, so it belongs to none of programs, participants, matching or stories.
"""
