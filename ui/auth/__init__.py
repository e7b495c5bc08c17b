"""Who is using the app, and what they may do: users, roles, signing in, the trusted proxy header.

    from ui.auth import AccessSettings, SignInGate, User, can, require

- roles.py     the three roles and the one permission table (`can`, `require`, `User`)
- users.py     the user file (argon2 hashes, 0600, written atomically) and where it lives
- signin.py    `Authenticator`: password checks, failures slowed and limited per name and address
- sessions.py  sessions that end (idle and absolute timeouts)
- proxies.py   `trusted_user` and `client_address`: headers believed only from trusted proxies
- settings.py  `AccessSettings`, the sign-in mode and the safe default (`check_bind`)
- web.py       `SignInGate`: Gradio's auth_dependency, the sign-in page and the session cookie
"""
from ui.auth.errors import NotAllowed, SignInRefused, UnsafeBind
from ui.auth.proxies import client_address, parse_proxies, trusted_user
from ui.auth.roles import ACTIONS, ROLES, User, can, open_user, require
from ui.auth.sessions import Session, SessionPolicy, SessionStore
from ui.auth.settings import (
           AccessSettings,
           access_settings,
           bind_warning,
           check_bind,
           is_loopback,
)
from ui.auth.signin import Authenticator, ThrottlePolicy
from ui.auth.users import UserRecord, UserStore, resolve_users_file
from ui.auth.web import SignInGate

__all__ = ["ACTIONS", "ROLES", "AccessSettings", "Authenticator", "NotAllowed", "Session", "SessionPolicy",
           "SessionStore", "SignInGate", "SignInRefused", "ThrottlePolicy", "UnsafeBind", "User", "UserRecord",
           "UserStore", "access_settings", "bind_warning", "can", "check_bind", "client_address", "is_loopback",
           "open_user", "parse_proxies", "require", "resolve_users_file", "trusted_user"]
