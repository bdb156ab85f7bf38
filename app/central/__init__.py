"""The central store: the HTTP API desks sync with (FastAPI on PostgreSQL or SQLite), its
administration commands and the hall's shared queue. Runs on a server without Qt: nothing
here imports PySide6 or reportlab (import-linter and tests/central/test_server.py check)."""
