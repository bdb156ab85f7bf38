"""The central store's schema (its own tables, metadata and Alembic history, apart from the
desk's): halls, credentials, the catalogue versions, the records desks push, the operations
already applied and the hall's shared queue."""
