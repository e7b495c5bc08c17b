"""Documents -> chunks -> index: everything that writes the index lives here."""
