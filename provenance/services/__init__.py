"""Plain functions over a session: ``(session, *, ...) -> records``.

No Typer, no Rich here: a Python user gets everything the command line can do. Functions
flush, never commit; the caller owns the transaction (``Database.transaction()``).
"""
