"""What each role may do in a team. The views check these on the server, every time."""

from .models import Role

# The actions of the team pages, and the roles allowed to take each.
ALLOWED = {
    "view": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "leave": {Role.OWNER, Role.ADMIN, Role.MEMBER},
    "invite": {Role.OWNER, Role.ADMIN},
    "manage_members": {Role.OWNER, Role.ADMIN},
    "rename": {Role.OWNER, Role.ADMIN},
    "manage_owners": {Role.OWNER},
    "delete": {Role.OWNER},
}


def can(role: str, action: str) -> bool:
    return role in ALLOWED[action]


def roles_given_by(role: str) -> list[str]:
    """The roles someone with ``role`` may give others: owners are made by owners."""
    if can(role, "manage_owners"):
        return [Role.OWNER, Role.ADMIN, Role.MEMBER]
    if can(role, "manage_members"):
        return [Role.ADMIN, Role.MEMBER]
    return []
