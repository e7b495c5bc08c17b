"""Records from documents: metadata, action-plan rows, a report's recommendations, their links."""
