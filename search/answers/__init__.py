"""Answers: the question's focus, candidate sentences, the answer."""
