from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Nobody creates an account on their own: staff are invited by an organization
        # admin, and participants receive an invitation once their application is accepted.
        return False
