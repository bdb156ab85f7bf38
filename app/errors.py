"""Errors that carry a message for the person at the desk (or the shell)."""


class UserError(Exception):
    """Bad input or a refused action: the message is shown as it is, nothing was changed."""
