"""Each input format: HTML, Word, PDF, e-mail, mailbox, feeds; metadata and refusals."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from makefiles import (
    STORY,
    TITLE,
    make_atom,
    make_docx,
    make_eml,
    make_html,
    make_mbox,
    make_pdf,
    make_rss,
)

import briefing
from briefing.errors import InputError
from briefing.formats.html import without_site_name
from briefing.load import READERS, load_file, load_paths

LONG_STORY = STORY * 3


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def reason_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_file(path)
    assert "\n" not in info.value.reason
    return info.value.reason


def test_every_format_of_the_issue_has_a_reader():
    wanted = {".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".eml", ".mbox", ".rss", ".atom"}
    assert wanted <= set(READERS)


def test_html_page_yields_its_story_and_metadata_without_the_page_furniture(tmp_path):
    (article,) = briefing.load(write(tmp_path / "tram.html", make_html()))
    assert article.title == TITLE
    assert article.source == "The Example Star"
    assert article.date == dt.date(2026, 11, 20)
    assert article.url == "https://star.example/news/tram-line"
    assert article.text.splitlines() == list(STORY)


def test_html_page_without_an_encoding_declaration_is_decoded_as_windows_1252(tmp_path):
    story = ("The café owners said the £40 rent rise was “unfair” to every one of them.", *STORY)
    page = make_html(story, charset="cp1252", declare=False)
    (article,) = load_file(write(tmp_path / "cafe.htm", page))
    assert article.text.splitlines()[0] == story[0]


@pytest.mark.parametrize(
    ("dateline", "outlet"),
    [("MOSCOW (AP) -- ", "AP"), ("LONDON, Nov 3 (Reuters) - ", "Reuters"), ("", "")],
)
def test_wire_copy_saved_as_text_takes_its_outlet_from_the_dateline(
    tmp_path: Path, dateline: str, outlet: str
) -> None:
    text = "Council backs tram line\n\n" + dateline + "\n\n".join(STORY)
    (article,) = briefing.load(write(tmp_path / "wire.txt", text.encode()))
    assert article.source == outlet
    assert article.text.splitlines() == list(STORY)


def test_an_outlet_the_file_names_is_kept_over_its_dateline(tmp_path: Path) -> None:
    text = "---\nsource: The Example Star\n---\n# Tram line\n\nMOSCOW (AP) -- " + STORY[0]
    (article,) = briefing.load(write(tmp_path / "star.md", text.encode()))
    assert article.source == "The Example Star"


def test_html_page_loses_the_dateline_its_story_opens_with(tmp_path: Path) -> None:
    story = (f"HANOI, Vietnam (AP) \u2014 {STORY[0]}", *STORY[1:])
    (article,) = briefing.load(write(tmp_path / "tram.html", make_html(story)))
    assert article.text.splitlines() == list(STORY)


def test_html_page_declaring_latin_1_is_decoded_by_its_declaration(tmp_path):
    story = ("Les élus ont approuvé la ligne de tramway mardi soir après un long débat.", *STORY)
    (article,) = load_file(write(tmp_path / "fr.html", make_html(story, charset="iso-8859-1")))
    assert article.text.splitlines()[0] == story[0]


def test_html_page_canonical_link_gives_the_url_when_there_is_no_og_url(tmp_path):
    page = make_html(extra_head='<link rel="canonical" href="https://star.example/canonical">')
    page = page.replace(b'<meta property="og:url" content="https://star.example/news/tram-line">', b"")
    (article,) = load_file(write(tmp_path / "c.html", page))
    assert article.url == "https://star.example/canonical"


def test_html_login_page_is_skipped_as_not_an_article(tmp_path):
    page = b"""<html><head><title>Sign in</title></head><body><form>
    <h1>Sign in to your account</h1><p>Enter your e-mail address and password to continue.</p>
    <input type="email" name="e"><input type="password" name="p"><button>Log in</button>
    <p>Forgot your password? We will send you a link to reset it right away.</p>
    </form></body></html>"""
    reason = reason_of(write(tmp_path / "login.html", page))
    assert reason.startswith("not an article")


def test_html_paywall_stub_is_skipped_as_not_an_article(tmp_path):
    page = make_html(
        (STORY[0], "Subscribe now to continue reading this story and get unlimited access."),
    )
    assert reason_of(write(tmp_path / "paywall.html", page)).startswith("not an article: a paywall")


def test_html_index_of_headlines_is_skipped_as_not_an_article(tmp_path):
    links = "".join(
        f'<li><a href="/story/{i}">Headline number {i} about the council and its budget plans</a></li>'
        for i in range(30)
    )
    page = f"<html><head><title>News</title></head><body><h1>Latest news</h1><ul>{links}</ul></body></html>"
    reason = reason_of(write(tmp_path / "index.html", page.encode()))
    assert reason.startswith("not an article")


def test_html_scripts_are_never_run_and_external_entities_never_resolved(tmp_path):
    secret = write(tmp_path / "secret.txt", b"TOP-SECRET-VALUE")
    page = (
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<html><head><meta charset="utf-8"><title>T</title>'
        "<script>document.write('INJECTED BY SCRIPT')</script></head><body><article>"
        + "".join(f"<p>{p} &xxe;</p>" for p in LONG_STORY)
        + '<img src="https://tracker.example/pixel.gif"></article></body></html>'
    )
    (article,) = load_file(write(tmp_path / "xxe.html", page.encode()))
    assert "TOP-SECRET" not in article.text
    assert "INJECTED" not in article.text
    assert STORY[0].split(" by ")[0] in article.text


def test_docx_yields_title_from_the_title_style_and_the_paragraphs(tmp_path):
    (article,) = load_file(write(tmp_path / "tram.docx", make_docx()))
    assert article.title == TITLE
    assert article.text.splitlines() == list(STORY)


def test_docx_title_is_its_title_paragraph_then_its_title_property_then_its_heading(tmp_path):
    # The property is often stale: Word fills it in from a file name or a template.
    (shown,) = load_file(write(tmp_path / "t.docx", make_docx(core_title="Earlier title")))
    assert shown.title == TITLE
    import docx

    document = docx.Document()
    document.add_paragraph("Council backs tram line", style="Heading 1")
    for paragraph in STORY:
        document.add_paragraph(paragraph)
    for property_title, title in [
        ("Tram line approved after debate", "Tram line approved after debate"),
        ("draft_v3_final", "Council backs tram line"),
        ("", "Council backs tram line"),
    ]:
        document.core_properties.title = property_title
        document.save(str(tmp_path / "h.docx"))
        (article,) = load_file(tmp_path / "h.docx")
        assert article.title == title


def test_docx_password_protected_or_legacy_file_is_reported(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    assert reason_of(write(tmp_path / "locked.docx", ole)) == (
        "encrypted or legacy Word file (save it as .docx without a password)"
    )


def test_docx_zip_bomb_is_refused_before_python_docx_opens_it(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (40 * 2**20))
    assert reason_of(path).startswith("refused: a zip bomb?")


def test_docx_that_is_a_zip_without_a_document_is_reported(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "without word/document.xml" in reason_of(path)


def test_docx_without_its_content_types_part_is_reported_in_plain_words(tmp_path):
    path = tmp_path / "half.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert reason_of(path) == "not a Word document (a zip archive without [Content_Types].xml)"


def test_pdf_yields_the_text_of_its_pages(tmp_path):
    (article,) = load_file(write(tmp_path / "tram.pdf", make_pdf()))
    assert article.title == TITLE
    assert STORY[0] in article.text.replace("\n", " ")


def test_pdf_laid_out_in_wrapped_lines_keeps_every_line_and_its_date(tmp_path):
    import textwrap

    paragraphs = [
        "PARIS (AP) -- " + " ".join(STORY) + " The mayor said the first section would open in 2029.",
        "Residents of the eastern districts, who have waited for a tram since the old line "
        "closed in 1957, welcomed the vote but warned that the works would disrupt the "
        "high street for at least two years.",
    ]
    lines = [TITLE, "Associated Press, July 26, 2000"]
    for paragraph in paragraphs:  # no blank line between paragraphs, as many PDFs are made
        lines += textwrap.wrap(paragraph, 95)
    (article,) = load_file(write(tmp_path / "wrapped.pdf", make_pdf(tuple(lines))))
    words = " ".join(paragraphs).split()
    assert article.text.split() == words[3:]  # all but the dateline "PARIS (AP) --"
    text_lines = article.text.splitlines()
    assert all(line.endswith(".") for line in text_lines)  # no line cut mid-sentence
    assert any(line.startswith("Residents of the eastern districts") for line in text_lines)
    assert article.published == dt.date(2000, 7, 26)
    assert (article.title, article.source) == (TITLE, "AP")


def test_pdf_encrypted_with_an_empty_user_password_is_opened(tmp_path):
    pdf = make_pdf(user_password="", owner_password="owner-only")
    (article,) = load_file(write(tmp_path / "open.pdf", pdf))
    assert STORY[0] in article.text.replace("\n", " ")


def test_pdf_that_needs_a_password_is_reported(tmp_path):
    pdf = make_pdf(user_password="secret", owner_password="secret")
    assert reason_of(write(tmp_path / "locked.pdf", pdf)) == "encrypted PDF (it needs a password)"


def test_pdf_without_a_text_layer_is_reported_as_a_scan(tmp_path):
    reason = reason_of(write(tmp_path / "scan.pdf", make_pdf(text=False)))
    assert reason.startswith("no text layer")


@pytest.mark.parametrize("prefix", ["Fwd: ", "FW: ", "Re: Fwd: ", "fwd:"])
def test_eml_forwarded_keeps_the_headline_without_the_mail_programs_prefix(tmp_path, prefix):
    (article,) = load_file(write(tmp_path / "fwd.eml", make_eml(LONG_STORY, subject=prefix + TITLE)))
    assert article.title == TITLE


def test_eml_gives_subject_as_title_sender_as_source_and_date(tmp_path):
    (article,) = load_file(write(tmp_path / "news.eml", make_eml(LONG_STORY)))
    assert article.title == TITLE
    assert article.source == "The Example Star"
    assert article.date == dt.date(2026, 11, 20)
    assert article.text.splitlines()[0] == STORY[0]


def test_eml_with_only_an_html_part_yields_its_text_and_no_remote_image(tmp_path):
    (article,) = load_file(write(tmp_path / "news.eml", make_eml(html=True, plain=False)))
    assert STORY[0] in article.text
    assert "tracker" not in article.text


def test_eml_without_headers_is_not_an_email(tmp_path):
    reason = reason_of(write(tmp_path / "x.eml", b"\n\n" + " ".join(STORY).encode()))
    assert reason.startswith("not an e-mail message")


def test_mbox_yields_one_article_per_message_in_order(tmp_path):
    mbox = make_mbox(
        make_eml(subject="First letter"),
        make_eml(subject="Second letter", html=True),
        b"Subject: Empty one\n\n",
    )
    articles = load_file(write(tmp_path / "letters.mbox", mbox))
    assert [a.title for a in articles] == ["First letter", "Second letter"]


def test_mbox_unquotes_from_lines_in_bodies(tmp_path):
    story = (*STORY, "From now on the trams will run every ten minutes during the day.")
    (article,) = load_file(write(tmp_path / "q.mbox", make_mbox(make_eml(story))))
    assert article.text.splitlines()[-1] == story[-1]


def test_rss_feed_yields_each_entry_with_link_date_and_feed_title(tmp_path):
    articles = load_file(write(tmp_path / "star.rss", make_rss()))
    assert [a.title for a in articles] == [TITLE, "Harbour bridge to close for repairs"]
    assert {a.source for a in articles} == {"The Example Star"}
    assert [a.url for a in articles] == ["https://star.example/0", "https://star.example/1"]
    assert articles[0].date == dt.date(2026, 11, 20)
    assert articles[0].text.splitlines() == list(STORY)


def test_atom_feed_prefers_full_content_over_the_summary(tmp_path):
    (article,) = load_file(write(tmp_path / "wire.atom", make_atom()))
    assert article.source == "Example Wire"
    assert article.url == "https://wire.example/tram"
    assert article.date == dt.date(2026, 11, 19)
    assert article.text.splitlines() == list(STORY)


def test_feed_with_broken_entries_keeps_the_good_ones(tmp_path):
    broken = "<item><title>No body</title></item><item><description>   </description></item>"
    articles = load_file(write(tmp_path / "mixed.rss", make_rss(broken=broken)))
    assert len(articles) == 2


def test_feed_given_a_path_as_its_content_never_opens_that_path(tmp_path):
    secret = write(tmp_path / "secret.xml", make_rss())
    reason = reason_of(write(tmp_path / "trick.rss", str(secret).encode()))
    assert reason == "not a feed (not XML)"


def test_feed_never_resolves_an_external_entity(tmp_path):
    secret = write(tmp_path / "secret.txt", b"TOP-SECRET-VALUE")
    feed = make_rss().replace(
        b"<rss", f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]><rss'.encode(), 1
    )
    feed = feed.replace(b"<title>The Example Star</title>", b"<title>&xxe;</title>")
    try:
        articles = load_file(write(tmp_path / "xxe.rss", feed))
    except InputError:
        return
    assert all("TOP-SECRET" not in a.source + a.text for a in articles)


def test_file_with_the_wrong_extension_is_named_with_its_real_kind(tmp_path):
    reason = reason_of(write(tmp_path / "report.txt", make_pdf()))
    assert reason == "a PDF document, not a '.txt' file (wrong extension?)"


def test_long_article_is_cut_at_a_paragraph_end_within_the_limit(tmp_path):
    text = "Long story\n\n" + "\n\n".join(STORY * 50)
    path = write(tmp_path / "long.txt", text.encode())
    (article,) = load_file(path, max_chars=1000)
    assert len(article.text) <= 1000
    assert article.text.splitlines()[-1] in STORY


def test_load_report_counts_files_and_articles_across_formats(tmp_path):
    write(tmp_path / "a.html", make_html())
    write(tmp_path / "b.rss", make_rss())
    write(tmp_path / "c.pdf", make_pdf(user_password="secret", owner_password="secret"))
    result = load_paths([tmp_path])
    assert result.files_read == 3
    assert len(result.articles) == 3
    assert [(s.path.name, s.reason) for s in result.skipped] == [
        ("c.pdf", "encrypted PDF (it needs a password)")
    ]


def test_extraction_benchmark_mean_f1_is_at_least_0_90(shared):
    import statistics
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from extraction import briefing_load, read_rows, score

    data = shared / "data" / "extraction"
    rows = read_rows(data)
    f1s = [score(row["articleBody"], briefing_load(data / row["html_file"]))[2] for row in rows]
    assert statistics.mean(f1s) >= 0.90


def test_html_page_naming_its_site_by_an_address_is_named_by_its_host(tmp_path):
    page = make_html().replace(
        b'content="The Example Star"', b'content="https://www.star.example"'
    )
    (article,) = load_file(write(tmp_path / "h.html", page))
    assert article.source == "star.example"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Best tech gadgets of 2019 | ZDNet", "ZDNet", "Best tech gadgets of 2019"),
        ("Floods hit the valley - BBC News", "BBC News", "Floods hit the valley"),
        ("Apple shares slide | Reuters", "reuters.com", "Apple shares slide"),
        ("Floods hit the valley - the aftermath", "BBC News", "Floods hit the valley - the aftermath"),
        ("Reuters", "Reuters", "Reuters"),
    ],
)
def test_a_page_title_loses_the_site_name_appended_to_it(title, site, expected):
    assert without_site_name(title, site) == expected


def test_a_page_is_dated_by_its_markup_never_by_a_year_its_text_or_footer_names(tmp_path):
    (dated,) = load_file(write(tmp_path / "dated.html", make_html()))
    assert dated.published == dt.date(2026, 11, 20)  # article:published_time
    story = ("The striker, who left the club in 1997 for Lisbon, returned as its coach.", *STORY)
    page = make_html(story).replace(
        b'<meta property="article:published_time" content="2026-11-20T08:15:00Z">', b""
    )
    page = page.replace(b"By Jo Reporter, 20 November 2026", b"By Jo Reporter")
    page = page.replace(b"Copyright 2026", b"\xc2\xa9 2025")
    (undated,) = load_file(write(tmp_path / "undated.html", page))
    assert b"1997" in page and undated.published is None


def _raw_eml(body: bytes, content_type: str) -> bytes:
    return (
        b"From: The Example Star <news@star.example>\r\nSubject: " + TITLE.encode() + b"\r\n"
        b"Date: Fri, 20 Nov 2026 08:15:00 +0000\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: " + content_type.encode() + b"\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body
    )


@pytest.mark.parametrize(
    ("content_type", "encoding"),
    [
        ("text/plain; charset=iso-8859-1", "cp1252"),  # as Outlook labels Windows-1252
        ("text/plain", "utf-8"),  # no charset, yet 8-bit UTF-8
        ("text/plain; charset=utf-8", "utf-8"),
    ],
)
def test_eml_body_keeps_its_curly_quotes_and_dashes_however_it_is_labelled(
    tmp_path, content_type, encoding
):
    lead = "The council’s tram plan – approved on Tuesday – costs £40m, the city’s leader said."
    body = "\n\n".join((lead, *LONG_STORY)).encode(encoding)
    (article,) = load_file(write(tmp_path / "news.eml", _raw_eml(body, content_type)))
    assert article.text.splitlines()[0] == lead


def test_a_text_with_a_stray_byte_windows_1252_leaves_undefined_is_read_not_refused(tmp_path):
    text = "Council backs tram line\n\n" + "\n\n".join(LONG_STORY) + "\n"
    data = text.replace("tram", "tram’", 1).encode("cp1252").replace(b"line", b"line\x81", 1)
    (article,) = load_file(write(tmp_path / "stray.txt", data))
    assert article.title == "Council backs tram’ line\ufffd"
    junk = bytes(range(0x80, 0x100)) * 40  # undecodable throughout: still refused
    assert reason_of(write(tmp_path / "junk.txt", junk)).startswith("cannot decode")


def test_an_article_quoted_in_a_reply_is_read_without_its_quote_marks(tmp_path):
    quoted = "\r\n>\r\n".join("> " + p[:60] + "\r\n> " + p[60:] for p in LONG_STORY)
    body = (
        "Worth a read.\r\n\r\nOn Fri, 20 Nov 2026 at 07:00, The Example Star "
        "<news@star.example> wrote:\r\n" + quoted + "\r\n"
    ).encode()
    (article,) = load_file(write(tmp_path / "re.eml", _raw_eml(body, "text/plain; charset=utf-8")))
    assert ">" not in article.text and "wrote:" not in article.text
    assert STORY[0] in article.text.splitlines()


def test_a_page_of_only_notices_and_prompts_is_not_an_article(tmp_path):
    page = (
        b"<html><head><title>Rugby Times</title></head><body><div id='cookies'>We use cookies"
        b" to improve your experience. <button>Accept</button></div><nav><a href='/'>Home</a>"
        b"</nav><section><h3>Sign up to our newsletter</h3><p>Get the best stories in your "
        b"inbox.</p></section><footer>\xc2\xa9 2026 Rugby Times Ltd. All rights reserved."
        b"</footer></body></html>"
    )
    assert reason_of(write(tmp_path / "menu.html", page)) == (
        "not an article: only page furniture (notices and prompts to the reader, no story)"
    )
    (story,) = load_file(write(tmp_path / "story.html", make_html(extra_body=page.decode())))
    assert story.text.splitlines()[0] == STORY[0]


def test_a_consent_wall_of_long_paragraphs_is_not_an_article(tmp_path):
    wall = (
        "<html><head><title>Example News</title></head><body><div class='consent'>"
        "<h2>We value your privacy</h2><p>We and our 842 partners use cookies and similar "
        "technologies to store and access information on your device, for personalised ads "
        "and content, ad and content measurement, audience insights and product development."
        "</p><p>Data processing may also happen as a result of cookies being set. We share "
        "this data with third parties that we name in the privacy settings.</p><p>By clicking"
        " \"Accept all\" you consent to the use of cookies. You can change your preferences at"
        " any time.</p><button>Accept all</button></div></body></html>"
    )
    assert reason_of(write(tmp_path / "wall.html", wall.encode())) == (
        "not an article: only page furniture (notices and prompts to the reader, no story)"
    )
    # A report on cookies is news: it is not told to the reader, or it is quoted.
    report = [
        "Google said on Tuesday it would stop using third-party cookies to personalise ads in"
        " its Chrome browser, a change that privacy regulators had demanded for years.",
        '"We will no longer build ways to track people with cookies for advertising," the'
        " company said in a statement.",
        *LONG_STORY[1:],
    ]
    (article,) = load_file(write(tmp_path / "report.html", make_html(tuple(report))))
    assert article.text.splitlines()[:2] == report[:2]
    (story,) = load_file(write(tmp_path / "story.html", make_html(extra_body=wall)))
    assert story.text.splitlines()[0] == STORY[0] and "cookies" not in story.text


def test_a_message_forwarded_as_an_attachment_is_the_article_it_attaches(tmp_path):
    from email.message import EmailMessage

    inner = email_message_from(make_eml(LONG_STORY, sender="Jo Reporter <jo@star.example>"))
    outer = EmailMessage()
    outer["From"], outer["Subject"] = "Pat <pat@example.org>", "Fw: " + TITLE
    outer["Date"] = "Sat, 21 Nov 2026 07:00:00 +0000"
    outer.set_content("FYI, see attached.\n")
    outer.add_attachment(inner)
    (article,) = load_file(write(tmp_path / "fwd.eml", outer.as_bytes()))
    assert (article.title, article.source) == (TITLE, "Jo Reporter")
    assert article.published == dt.date(2026, 11, 20)
    assert article.text.splitlines()[0] == STORY[0]


@pytest.mark.parametrize(
    "marker",
    ["---------- Forwarded message ---------", "-----Original Message-----", "Begin forwarded message:"],
)
def test_a_message_forwarded_inline_takes_its_sender_date_and_subject(tmp_path, marker):
    body = (
        "Thought you would want to see this.\n\nSam\n\n" + marker + "\n"
        "From: The Example Star <news@star.example>\nDate: Fri, 20 Nov 2026 at 06:00\n"
        "Subject: " + TITLE + "\nTo: <sam@example.org>\n\n" + "\n\n".join(LONG_STORY) + "\n"
    )
    mail = make_eml((body,), subject="Fwd: " + TITLE, sender="Sam Editor <sam@example.org>")
    (article,) = load_file(write(tmp_path / "fwd.eml", mail))
    assert (article.title, article.source) == (TITLE, "The Example Star")
    assert article.published == dt.date(2026, 11, 20)
    assert article.text.splitlines()[0] == STORY[0]
    assert "Thought you would" not in article.text


def email_message_from(data: bytes):
    import email
    import email.policy

    return email.message_from_bytes(data, policy=email.policy.default)


def test_a_story_set_in_a_layout_table_reads_as_paragraphs_and_a_data_table_stays(tmp_path):
    cells = "".join(f"<p>{p}</p>" for p in LONG_STORY)
    layout = f"<table><tr><td><h1>{TITLE}</h1>{cells}</td></tr></table>"
    (article,) = load_file(write(tmp_path / "layout.html", make_html((), extra_body=layout)))
    assert article.text.splitlines()[: len(STORY)] == list(STORY)
    results = "<table><tr><th>Ward</th><th>Votes</th></tr><tr><td>Eastside</td><td>1,204</td></tr></table>"
    (data,) = load_file(write(tmp_path / "data.html", make_html(STORY * 2 + (results,))))
    assert any(line.startswith("|") and "Eastside" in line for line in data.text.splitlines())


def test_a_feed_cut_off_keeps_the_entries_before_the_break_and_says_so(tmp_path, caplog):
    whole = make_rss()
    cut = whole[: whole.index(b"<item>", whole.index(b"</item>"))] + b"<item><title>Harbour"
    with caplog.at_level("WARNING"):
        (article,) = load_file(write(tmp_path / "cut.rss", cut))
    assert article.title == TITLE
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "cut.rss: malformed or cut-off feed" in warning and "read 1 entry before it" in warning


def test_a_feed_entrys_relative_link_is_read_against_the_feeds_own(tmp_path):
    feed = make_rss().replace(b"<link>https://star.example/1</link>", b"<link>/news/bridge</link>")
    articles = load_file(write(tmp_path / "star.rss", feed))
    assert [a.url for a in articles] == ["https://star.example/0", "https://star.example/news/bridge"]


def test_pdf_loses_the_running_head_and_foot_of_its_pages(tmp_path):
    head, foot = "The Example Star - Transport", "Copyright 2026 The Example Star. Page {} of 3"
    more = (
        "Residents of the eastern districts welcomed the vote but feared a year of roadworks.",
        "The mayor said the first section of the line would open to passengers in 2029.",
        "Work on the depot at Millbrook is due to start in the spring, the council said.",
    )
    first = (head, TITLE, STORY[0], STORY[1], foot.format(1))
    middle = (head, STORY[2], more[0], foot.format(2))
    last = (head, more[1], more[2], foot.format(3))
    pdf = make_pdf(first, more_pages=(middle, last))
    (article,) = load_file(write(tmp_path / "printed.pdf", pdf))
    assert article.title == TITLE
    assert article.text.split() == " ".join((*STORY, *more)).split()  # nothing else


def test_docx_reads_its_tracked_changes_accepted(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    lead = document.add_paragraph()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    lead._p.append(
        parse_xml(
            f'<w:ins {w} w:id="1" w:author="Ed" w:date="2026-11-20T08:00:00Z">'
            f"<w:r><w:t>{STORY[0]}</w:t></w:r></w:ins>"
        )
    )
    lead._p.append(
        parse_xml(
            f'<w:del {w} w:id="2" w:author="Ed" w:date="2026-11-20T08:00:00Z">'
            "<w:r><w:delText> The vote was close.</w:delText></w:r></w:del>"
        )
    )
    for paragraph in STORY[1:]:
        document.add_paragraph(paragraph)
    document.save(str(tmp_path / "tracked.docx"))
    (article,) = load_file(tmp_path / "tracked.docx")
    assert article.text.splitlines() == list(STORY)


def test_a_newsletter_of_several_stories_under_headlines_in_capitals_is_one_article_each(
    tmp_path,
):
    other = (
        "The harbour bridge will close for six weeks of repairs from Monday, the port said.",
        "Ferries will run every twenty minutes while the deck is resurfaced and the cables "
        "are replaced, and the port expects the bridge to reopen before the summer season.",
    )
    body = (
        "TODAY'S TOP STORIES",
        "COUNCIL BACKS TRAM LINE AFTER LONG DEBATE",
        *STORY,
        "Read more: https://star.example/1",
        "* * *",
        "HARBOUR BRIDGE TO CLOSE FOR REPAIRS",
        *other,
    )
    mail = make_eml(body, subject="The Example Star: your morning briefing")
    first, second = load_file(write(tmp_path / "briefing.eml", mail))
    assert (first.title, first.source) == ("Council backs tram line after long debate", "The Example Star")
    assert first.text.splitlines() == list(STORY)
    assert second.title == "Harbour bridge to close for repairs"
    assert second.text.splitlines() == list(other)
    assert first.published == second.published == dt.date(2026, 11, 20)
    (one,) = load_file(write(tmp_path / "one.eml", make_eml(("SPECIAL REPORT", *LONG_STORY))))
    assert one.title == TITLE  # one headline in capitals is a label, not a second story


def test_a_feed_whose_own_link_is_damaged_keeps_its_entries_links_as_they_are(tmp_path):
    feed = make_rss().replace(b"<link>https://star.example/</link>", b"<link>http://[star</link>")
    feed = feed.replace(b"<link>https://star.example/1</link>", b"<link>/news/bridge</link>")
    articles = load_file(write(tmp_path / "star.rss", feed))
    assert [a.url for a in articles] == ["https://star.example/0", None]


def test_a_story_set_as_text_and_line_breaks_is_read_as_paragraphs_without_linked_teasers():
    from briefing.formats.html import parse_html

    lead, *rest = LONG_STORY
    linked_lead = lead.replace("Tuesday", '<em><a href="/votes">Tuesday</a></em>')
    story = (
        f'<div class="content">{linked_lead}<br> <br><img src="tram.jpg">'
        "<center><em>The tram depot</em></center> <br>" + "<br> <br>".join(rest) + "</div>"
    )
    teaser = "Our guide to the city's bus routes explains every change made since the spring."
    page = f"""<html><body><div class="article">{story}</div>
<div id="right"><ul><li><a href="/guide"><p>{teaser}</p></a></li></ul></div></body></html>"""
    tree = parse_html(page, Path("breaks.html"))
    (content,) = tree.find_class("content")
    assert [p.text_content() for p in content.iter("p")] == [lead, *rest]
    assert content.find(".//img") is not None and content.find(".//center") is not None
    assert teaser not in tree.text_content()


def test_a_page_setting_its_story_between_line_breaks_keeps_its_lead(shared):
    """The MacRumors page of the extraction set: without paragraphs trafilatura lost its
    lead and took a sidebar's guide in its place."""
    truth = shared / "data" / "extraction" / "ground_truth.jsonl"
    rows = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    (page,) = [r for r in rows if "13-inch-macbook-pro-scissor-keyboard" in r["url"]]
    (article,) = load_file(truth.parent / page["html_file"])
    assert article.text.splitlines()[0] == page["articleBody"].splitlines()[0]
    assert "Night mode" not in article.text


def test_a_fact_check_says_it_is_one_and_shows_the_claim_it_reviews_as_a_claim(tmp_path):
    claim = "The new tram line will cost every household in the city £900 a year."
    review = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "name": "The Example Star"},
            {
                "@type": "ClaimReview",
                "claimReviewed": claim,
                "reviewRating": {"@type": "Rating", "alternateName": "False"},
            },
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(review)}</script>'
    question = "Will the tram cost you £900?"
    page = make_html(("Claim", claim, *STORY), title=question, extra_head=head)
    (article,) = load_file(write(tmp_path / "check.html", page))
    assert article.title == f"Fact check: {question}"
    assert article.text.splitlines() == [f"Claim (rated False): {claim}", *STORY]
    bad_data = '<script type="application/ld+json">{"@type": "ClaimReview",</script>'
    broken = make_html(STORY, extra_head=bad_data)
    (plain,) = load_file(write(tmp_path / "broken.html", broken))
    assert plain.title == TITLE and plain.text.splitlines() == list(STORY)


def test_a_named_anchor_left_open_keeps_the_story_it_takes_in(tmp_path):
    body = '<a name="top">' + "".join(f"<p>{p}</p>" for p in LONG_STORY)
    (article,) = load_file(write(tmp_path / "anchor.html", make_html((), extra_body=body)))
    assert article.text.splitlines()[: len(STORY)] == list(STORY)


def test_an_image_inside_a_sentence_does_not_break_its_line():
    from briefing.formats.html import html_to_text

    text = html_to_text('<p>The mayor <img src="x.png"> opened the new tram depot.</p>')
    assert text == "The mayor opened the new tram depot."


def test_a_fact_check_already_called_one_and_unreadable_data_are_handled(tmp_path):
    review = '{"@type": "ClaimReview", "claimReviewed": "' + STORY[0] + '"}'
    head = f'<script type="application/ld+json">{review}</script>'
    page = make_html(STORY, title="Factcheck: the tram vote", extra_head=head)
    (article,) = load_file(write(tmp_path / "titled.html", page))
    assert article.title == "Factcheck: the tram vote"
    assert article.text.splitlines()[0] == "Claim: " + STORY[0]
    deep = '<script type="application/ld+json">' + '{"a": ' * 5000 + '"ClaimReview"'
    deep += "}" * 5000 + "</script>"
    (plain,) = load_file(write(tmp_path / "deep.html", make_html(STORY, extra_head=deep)))
    assert plain.title == TITLE and plain.text.splitlines() == list(STORY)
