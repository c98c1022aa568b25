"""The PDF route: caps and clear errors, furniture stripping, and the same parse as the text route."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader, PdfWriter

from ingest.manifest import load_manifest
from ingest.model import DocMeta, IngestError, Node
from ingest.parsers import ParseContext, parser_for
from ingest.pdf import Line, join_blocks, read_pdf
from ingest.readers import read_file
from kg.settings import Settings
from tests.conftest import CORPUS

FIXTURES = Path(__file__).parent / "fixtures"
UN_PDF = CORPUS / "pdf" / "A-79-785_S-2025-94.pdf"
CAPS = {"max_bytes": 10_000_000, "max_pages": 50}
# (text file, the PDF made from it by tests/fixtures/make_pdfs.py, document type)
PAIRS = [
    (CORPUS / "resolutions" / "S-RES-0808-1993.txt", FIXTURES / "S-RES-0808-1993.pdf", "resolution"),
    (FIXTURES / "sg-report-2013-excerpt.txt", FIXTURES / "sg-report-2013-excerpt.pdf", "report"),
]


@pytest.fixture(scope="module")
def manifest():
    return load_manifest(CORPUS)


def tree(node: Node) -> tuple:
    """Everything a parser decides about a node, for comparing two parses."""
    return (node.kind, node.number, node.title, node.text, tuple(node.footnotes), tuple(node.refs),
            tuple(sorted(node.attrs.items())), tuple(tree(c) for c in node.children))


def test_un_pdf_furniture_is_stripped_and_the_header_kept():
    text = read_pdf(UN_PDF, **CAPS).text()
    for furniture in ("25-02437", "*2502437*", "2/6", "6/6", "180225", "\nA/79/785\n", "\nS/2025/94\n"):
        assert furniture not in text
    assert text.startswith("United Nations  A/79/785-S/2025/94\n\nGeneral Assembly\n\nSecurity Council\n\n"
                           "Distr.: General\n13 February 2025\n\nOriginal: English\n\n")
    assert "Seventy-ninth session  Eightieth year\nAgenda items 69, 71 and 132\n\n" in text
    # A paragraph running over pages 2 and 3 is one block, its lines joined without furniture between.
    assert "Ljubljana - The Hague Convention on\nInternational Cooperation in The Investigation" in text


def test_fixture_pdf_gives_back_the_text_it_was_made_from():
    """Running head, job number, barcode and page numbers go; lines and blank lines come back as printed."""
    source = (CORPUS / "resolutions" / "S-RES-0808-1993.txt").read_text(encoding="utf-8")
    expected = "\n".join(line.rstrip() for line in source.splitlines()) + "\n"
    assert read_pdf(FIXTURES / "S-RES-0808-1993.pdf", **CAPS).text() == expected
    assert len(PdfReader(FIXTURES / "S-RES-0808-1993.pdf").pages) == 2


def test_footnotes_at_the_page_foot_and_raised_calls_become_superscripts():
    text = read_pdf(FIXTURES / "sg-report-2013-excerpt.pdf", **CAPS).text()
    assert "considered the role of\n\n¹ Resolution 60/1.\n\nregional and subregional arrangements" in text
    assert "concept and its implementation.¹ In 2009" in text
    assert "legal instruments;⁴\n" in text


@pytest.mark.parametrize(("text_file", "pdf_file", "doc_type"), PAIRS, ids=["resolution-808", "sg-report-2013"])
def test_pdf_and_text_routes_give_the_same_parse(text_file, pdf_file, doc_type, manifest):
    source = next((s for s in manifest.sources if s.path.resolve() == text_file.resolve()), None)
    meta = source.meta if source else DocMeta(id="A-67-929", type=doc_type, title="SG report 2013", guessed=["title"])
    parse = parser_for(doc_type)
    ctx = ParseContext(meta=meta, instruments=manifest.instruments)
    from_text = parse(text_file.read_text(encoding="utf-8"), ctx)
    from_pdf = parse(read_pdf(pdf_file, **CAPS).text(), ctx)
    assert [d.meta for d in from_pdf] == [d.meta for d in from_text]
    assert [[tree(n) for n in d.children] for d in from_pdf] == [[tree(n) for n in d.children] for d in from_text]
    assert sum(1 for d in from_text for _ in d.walk()) > 5  # a real parse, not two empty ones


def _encrypted(tmp_path: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=FIXTURES / "S-RES-0808-1993.pdf")
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_a_pdf_is_extracted_once_for_its_masthead_text_and_page_marks(monkeypatch):
    """pypdf's extraction is most of an ingestion's time: page 1's lines for the masthead and the text with
    and without a record's page marks all come from one extraction of each page."""
    pages = len(PdfReader(UN_PDF).pages)
    calls = []
    extract = PageObject.extract_text
    monkeypatch.setattr(PageObject, "extract_text", lambda page, *a, **kw: calls.append(1) or extract(page, *a, **kw))
    read = read_file(UN_PDF, Settings(pdf_max_bytes=CAPS["max_bytes"], pdf_max_pages=CAPS["max_pages"]))
    assert any("A/79/785" in line for line in read.page_one)
    assert read.text() != read.text(page_marks=True)
    assert len(calls) == pages


def test_encrypted_pdf_with_a_password_is_refused_with_a_clear_message(tmp_path):
    path = _encrypted(tmp_path, "secret")
    with pytest.raises(IngestError) as err:
        read_pdf(path, **CAPS).text()
    assert str(err.value) == f"{path}: PDF is encrypted with a password; decrypt it first"


def test_pdf_encrypted_only_against_editing_is_read(tmp_path):
    text = read_pdf(_encrypted(tmp_path, ""), **CAPS).text()
    assert text.startswith("RESOLUTION 808 (1993)\n\nAdopted by the Security Council at its 3175th meeting,")


def test_caps_and_truncation_give_clear_errors(tmp_path):
    with pytest.raises(IngestError) as err:
        read_pdf(UN_PDF, max_bytes=CAPS["max_bytes"], max_pages=5).text()
    assert err.value.reason == "PDF has 6 pages, over the limit of 5 (R2P_PDF_MAX_PAGES)"
    size = UN_PDF.stat().st_size
    with pytest.raises(IngestError) as err:
        read_pdf(UN_PDF, max_bytes=1000, max_pages=50).text()
    assert err.value.reason == f"PDF is {size} bytes, over the limit of 1000 (R2P_PDF_MAX_BYTES)"
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(UN_PDF.read_bytes()[: size // 2])
    with pytest.raises(IngestError) as err:
        read_pdf(truncated, **CAPS).text()
    assert err.value.reason == "unreadable PDF (PdfStreamError: Stream has ended unexpectedly)"


def test_a_pdf_without_text_is_refused(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "scan.pdf"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(IngestError) as err:
        read_pdf(path, **CAPS).text()
    assert err.value.reason == "PDF has no extractable text (scanned image?)"


LETTER = "https://w3id.org/r2p-kg/doc/A-79-785"


def test_ingested_letter_in_the_store(corpus_store):
    assert not corpus_store.ask(f"ASK {{ <{LETTER}/para/1> r2p:number ?n }}")  # printed without a number
    assert corpus_store.ask(f"""ASK {{ <{LETTER}/para/1> a r2p:Paragraph ; r2p:citation "A/79/785–S/2025/94, ¶1" ;
        r2p:text "I am transmitting herewith the summary report of the fifth Global Forum against the Crime of Genocide, held on 12 and 13 December 2024 in Yerevan (see annex)." }}""")
    assert corpus_store.ask(f"""ASK {{ <{LETTER}/section/annex> a r2p:Section ;
        dcterms:title "Annex to the letter dated 13 February 2025 from the Permanent Representative of Armenia to the United Nations addressed to the Secretary-General" .
        <{LETTER}/para/3> r2p:inSection ?sub . ?sub dcterms:isPartOf <{LETTER}/section/annex> }}""")
    assert corpus_store.ask(f"""ASK {{ <{LETTER}> r2p:agendaItems "69, 71, 132" ; dcterms:date "2025-02-13"^^xsd:date ;
        dcterms:identifier "A/79/785–S/2025/94" ; r2p:signatory "Mher Margaryan, Ambassador, Permanent Representative" }}""")
    assert corpus_store.ask(f"ASK {{ <{LETTER}/para/33> a r2p:Paragraph }}")
    assert not corpus_store.ask(f"ASK {{ <{LETTER}/para/34> ?p ?o }}")
    assert not corpus_store.ask(f"""ASK {{ ?p r2p:inDocument <{LETTER}> ; r2p:text ?t .
        FILTER(REGEX(?t, "25-02437|2502437|A/79/785|S/2025/94|[0-9]/6 ")) }}""")


def test_a_numbered_heading_at_a_page_top_opens_a_block_of_its_own():
    """S/2025/239: paragraph 27 ends page 10 at the margin; "2. Women and girls²⁰" opens page 11 at the margin."""
    page10 = [Line("27. The total civilian death estimate is difficult to verify", x=72, y=700, size=10),
              Line("due to the intensity of the war in the city", x=72, y=688, size=10)]
    page11 = [Line("2. Women and girls²⁰", x=72, y=700, size=10),
              Line("28. Women and girls were killed in the attacks", x=72, y=676, size=10),
              Line("by the warring parties when looking", x=72, y=664, size=10),
              Line("for food and water.", x=72, y=652, size=10)]
    assert join_blocks([page10, page11]).split("\n\n") == [
        "27. The total civilian death estimate is difficult to verify\ndue to the intensity of the war in the city",
        "2. Women and girls²⁰",
        "28. Women and girls were killed in the attacks\nby the warring parties when looking\nfor food and water.\n"]
