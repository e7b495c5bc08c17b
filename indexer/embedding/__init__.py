"""The embedding model: identity, embedders, golden vectors, the vector cache."""
