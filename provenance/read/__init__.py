"""The read layer: what services and analysis both read, below both of them.

Core tables (``tables``: no ORM), claim records (``records``), naming things by key, alias
or prefix with suggestions (``resolve``), and pages of ids (``paging``). Nothing here
imports ``sqlalchemy.orm`` at run time, so a command that only reads starts without it.
"""
