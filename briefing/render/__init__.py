"""Render a finished Briefing: a Word document, Markdown text or JSON-ready data.

One module a job: ``text`` says what every writer says alike (headings, summary lines,
citation marks, source entries), ``template`` opens the Word template and finds its styles,
``oxml`` does in the XML what python-docx has no API for, ``document`` writes the .docx,
``markdown`` the Markdown and ``data`` the JSON-ready dict.
"""

from .data import to_dict
from .document import build_document, write_docx
from .markdown import to_markdown
from .template import default_template

__all__ = ["build_document", "default_template", "to_dict", "to_markdown", "write_docx"]
