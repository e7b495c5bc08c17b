"""`inspection-search users`: add, list, change and remove the people who may sign in to the app.

Passwords are read from a prompt (typed twice) or, when stdin is not a terminal, from its first
line; never from the command line, where they would stay in the shell history and the process
list. Every change is appended to the audit log under the name of the person running the command.
"""
from __future__ import annotations

import json
import sys


def register(sub) -> None:
    from ui.auth.roles import ROLES, permission_rows

    roles = "; ".join(f"{r}: {what}" for r, what in permission_rows())
    p = sub.add_parser("users", help="add, list, change or remove the app's users",
                       description=f"Users of the web app and their roles ({roles}). The user file is "
                                   "--users, else $INSPECTION_SEARCH_USERS, else users.json in the index "
                                   "folder; it holds argon2 hashes, never passwords, and only its owner "
                                   "can read it.")
    users = p.add_subparsers(dest="users_command", metavar="ACTION")
    users.required = True
    add = users.add_parser("add", help="add a user (the password is asked for, or read from stdin)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES, help="what they may do")
    add.add_argument("--no-password", action="store_true",
                     help="no password: the user signs in only through the trusted proxy header")
    lst = users.add_parser("list", help="list the users: name, role, created, last sign-in")
    lst.add_argument("--json", action="store_true", help="print them as JSON")
    role = users.add_parser("set-role", help="give a user another role")
    role.add_argument("name")
    role.add_argument("role", choices=ROLES)
    rm = users.add_parser("remove", help="remove a user (they are signed out at their next request)")
    rm.add_argument("name")
    pw = users.add_parser("passwd", help="set a user's password (their open sessions end)")
    pw.add_argument("name")
    for q in (add, lst, role, rm, pw):
        _add_location_options(q)
    p.set_defaults(func=run)


def _add_location_options(p) -> None:
    from ui.cli import add_index_option

    p.add_argument("--users", metavar="FILE", default=None,
                   help="the user file (default: $INSPECTION_SEARCH_USERS, else <index>/users.json)")
    add_index_option(p)


def cli_actor() -> str:
    """Who a command-line change is recorded as: the login running the command."""
    from ui.auth.roles import os_user

    return f"cli:{os_user()}"


def read_new_password(name: str, stdin=None) -> str:
    """A new password: typed twice at a terminal, or the first line of stdin (for scripts)."""
    import getpass

    from ui.auth.errors import BadPassword
    from ui.auth.users import check_new_password

    stdin = stdin or sys.stdin
    if stdin.isatty():
        first = getpass.getpass(f"new password for {name}: ")
        if getpass.getpass("the same again: ") != first:
            raise BadPassword("the two passwords differ; nothing changed")
        return check_new_password(first)
    line = stdin.readline()
    if not line:
        raise BadPassword("no password on stdin (pipe it in, or run the command at a terminal to be asked)")
    return check_new_password(line.rstrip("\r\n"))


def run(args) -> int:
    from ui.audit import AuditLog
    from ui.auth.users import UserStore, normalise_name, resolve_users_file

    store = UserStore(resolve_users_file(args.users, args.index))
    warning = store.permission_warning()
    if warning:
        print(warning, file=sys.stderr)
    if args.users_command == "list":
        return _list(store, args.json)
    name = normalise_name(args.name)
    log = AuditLog.for_index(args.index)
    done = {"add": _add, "set-role": _set_role, "remove": _remove, "passwd": _passwd}[args.users_command]
    action, what, line = done(store, name, args)
    log.append(cli_actor(), action, what)
    print(line)
    return 0


def _add(store, name: str, args):
    from ui.auth.errors import UserExists

    if store.get(name) is not None:  # say so before asking for a password
        raise UserExists(f"user {name!r} already exists (change it with `users set-role` or `users passwd`)")
    password = None if args.no_password else read_new_password(name)
    rec = store.add(name, args.role, password)
    how = "signs in only through the trusted proxy header" if rec.hash is None else "can sign in with a password"
    line = f"added {rec.name} ({rec.role}) to {store.path}; {rec.name} {how}"
    if rec.role != "admin" and not any(u.role == "admin" for u in store.records()):
        line += "\nnote: there is no admin yet; nobody can manage users or read the audit log in the app"
    return "user_add", {"user": rec.name, "role": rec.role, "password": rec.hash is not None}, line


def _set_role(store, name: str, args):
    before = store.get(name)
    rec = store.set_role(name, args.role)
    was = before.role if before else None
    return ("user_set_role", {"user": rec.name, "role_before": was, "role": rec.role},
            f"{rec.name}: {was} -> {rec.role}")


def _remove(store, name: str, args):
    rec = store.remove(name)
    return "user_remove", {"user": rec.name, "role": rec.role}, f"removed {rec.name} ({rec.role}) from {store.path}"


def _passwd(store, name: str, args):
    from ui.auth.errors import UnknownUser

    if store.get(name) is None:  # say so before asking for a password nobody will use
        raise UnknownUser(f"no user {name!r} in {store.path} (see `inspection-search users list`)")
    rec = store.set_password(name, read_new_password(name))
    return "user_passwd", {"user": rec.name}, f"new password set for {rec.name}; their open sessions end"


def _list(store, as_json: bool) -> int:
    records = store.records()
    if as_json:
        print(json.dumps([{"name": u.name, "role": u.role, "created": u.created, "last_sign_in": u.last_sign_in,
                           "password": u.hash is not None} for u in records], indent=1, ensure_ascii=False))
        return 0
    if not records:
        print(f"no users in {store.path}; add one with `inspection-search users add NAME --role admin`")
        return 0
    width = max(len("name"), *(len(u.name) for u in records))
    print(f"{'name':<{width}}  {'role':<6}  {'created':<20}  {'last sign-in':<20}  password")
    for u in records:
        print(f"{u.name:<{width}}  {u.role:<6}  {u.created:<20}  {u.last_sign_in or '-':<20}  "
              f"{'yes' if u.hash else 'no (proxy header only)'}")
    print(f"{len(records)} users in {store.path}")
    return 0
