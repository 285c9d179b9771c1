# Stories and feedback arrive with the portal and stories issues.
