"""The extraction evaluation set (issue 20): its text (content.json) and the code that prints it into docs/
and writes its labels; run make_documents.py. See README.md."""
