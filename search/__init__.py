"""Index -> hits -> answers: everything that reads the index lives here."""
