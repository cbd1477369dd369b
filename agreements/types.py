"""Type aliases shared across apps."""

from django.contrib.auth.models import AnonymousUser, User

# Who is acting: request.user in views, None for commands and imports.
AnyUser = User | AnonymousUser
Actor = User | AnonymousUser | None
