"""provenance: a command-line database that records who said what, where, and how sure we are.

Importing the package is cheap on purpose: the command line's ``--help`` must start without
SQLAlchemy, so nothing heavy is imported here.
"""

__version__ = "0.1.0"
