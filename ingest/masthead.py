"""Identity of a UN document from its masthead (page 1) and its UN file name, never from body text.

Page 1 of a UN document prints, top right, its symbol (joint GA/SC symbols with a dash), the
distribution ("Distr.: General") and the date of issue, and "Original: <language>"; then the
session and agenda items, and the title block that says what it is ("Report of the
Secretary-General", "Letter dated …", "Resolution 2772 (2025) / Adopted by the Security Council …").
The body is full of other symbols and of "resolution NNNN (YYYY)", so identity read anywhere
else is wrong one time in four (issue 11). The UN's file names carry the symbol and the
language version: ``A_80_275.en.pdf``, ``S_RES_2768 (2025).en.pdf``.

This module only reads: it returns a ``Masthead`` of plain facts; ``ingest.manifest`` turns them
into a ``DocMeta``. Page 1 of a PDF is read here with pypdf (plain extraction, then layout mode
when the plain one misses the masthead: Geneva documents print it in a form XObject).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.lines import MONTHS

# French and Spanish versions print their dates in their own language: "2 mai 2025", "2 de mayo de 2025".
_MONTH_NUMBER = {name.lower(): i for names in (
    MONTHS,
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
     "décembre"),
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
     "diciembre"),
) for i, name in enumerate(names, start=1)}
DATE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+(?:de\s+)?({'|'.join(_MONTH_NUMBER)})\s+(?:de\s+)?(\d{{4}})\b",
                  re.IGNORECASE)
LANGUAGES = {"english": "en", "french": "fr", "spanish": "es", "russian": "ru", "chinese": "zh", "arabic": "ar",
             "anglais": "en", "français": "fr", "espagnol": "es", "russe": "ru", "chinois": "zh", "arabe": "ar",
             "inglés": "en", "francés": "fr", "español": "es", "ruso": "ru", "árabe": "ar"}

# One segment of a UN symbol: 80, RES, PV.64, L.2, AC.109, CONF.230, ES-10, INF, Add.1, Corr.1, Rev.1.
_SEGMENT = r"(?:(?:Add|Corr|Rev|Amend|Suppl)\.\d{1,3}|\d{1,5}|[A-Z]{1,10}(?:[.\-]\d{1,5}[A-Z]?)?(?![a-z]))"
# A whole symbol: body letters, segments, then "(2025)" for Council resolutions and "(Part I)" for parts.
_SYMBOL = rf"\b[A-Z]{{1,6}}(?:/{_SEGMENT})+(?:\s?\(\d{{4}}\))?(?:\s?\(Part\s+[IVX]+\))?"
SYMBOL = re.compile(_SYMBOL)
# The same shape in running text, where it holds a digit ("HIV/AIDS", "SLA/TC" are no symbols): the one
# declaration ``ingest.references`` finds cited documents with.
SYMBOL_IN_TEXT = re.compile(rf"(?=[A-Z]{{1,6}}/\S*\d){_SYMBOL}")
_JOINT_SEPARATOR = re.compile(r"^[\s*]*(?:[-–—][\s*]*)?$")
_AMENDMENT = re.compile(r"^(?P<base>.+)/(?P<kind>Add|Corr|Rev)\.(?P<n>\d+)$")

# Title-block lines that say what the document is, tried in this order of precedence.
_RESOLUTION_TITLE = re.compile(r"^(?:(?:RESOLUTION|Resolution|Résolution|Resolución)\s+(?P<n>\d+)\s*\((?P<y>\d{4})\)\s*$|"
                               r"(?i:Resolution\s+adopted"
                               r"\s+by\s+the\s+)(?P<body>General Assembly|Security Council|Human Rights Council|"
                               r"Economic and Social Council))")
_ADOPTED = re.compile(r"^Adopted\s+by\s+the\s+(?P<body>Security Council|General Assembly|Human Rights Council|"
                      r"Economic and Social Council)\b", re.IGNORECASE)
_DECISION_TITLE = re.compile(r"^(?:Decision\s+adopted\s+by\s+the\b|Compendium\s+of\s+decisions\b)", re.IGNORECASE)
_DRAFT_TITLE = re.compile(r"^Draft\s+(?:resolution|decision|report|conclusions)\b", re.IGNORECASE)
_LETTER_TITLE = re.compile(r"^(?:(?:Identical\s+)?(?:letters?|notes?\s+verbales?)\s+dated\b|"
                           r"Lettres?\s+(?:identiques\s+)?datées?\s+du\b|Cartas?\s+(?:idénticas\s+)?de\s+fecha\b)",
                           re.IGNORECASE)
_NOTE_TITLE = re.compile(r"^(?:Note\s+by\s+the\s+Secretary-\s?General|Note\s+du\s+Secrétaire\s+général|"
                         r"Nota\s+del\s+Secretario\s+General)\b", re.IGNORECASE)
_SG_REPORT_TITLE = re.compile(r"^(?:[\w-]+\s+){0,2}(?:report\s+of\s+the\s+Secretary-\s?General|"
                              r"rapport\s+du\s+Secrétaire\s+général|informe\s+del\s+Secretario\s+General)\b",
                              re.IGNORECASE)
_BODY_REPORT_TITLE = re.compile(r"^(?:Draft\s+)?(?:[\w-]+\s+){0,2}(?:report|study)\s+(?:of|by|on)\s+the\b",
                                re.IGNORECASE)
# Where the body starts: the title block ends before it.
_BODY_START = re.compile(r"^(?:Summary\b|Résumé\b|Contents\b|[IVX]+\.\s|\d{1,3}\.\s|I\s+have\s+the\s+honour\b|"
                         r"The\s+(?:General Assembly|Security Council|Human Rights Council|Economic and Social Council"
                         r"|Executive Board|Secretary-General\s+has\s+the\s+honour)\b)")
_MEETING = re.compile(r"^\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting\b")
_SESSION_LINE = re.compile(r"^(?:Agenda|Item|Provisional|Official Records|[A-Z][\w-]+ (?:session|year)\b|\d{4} session)")
_KINDS = r"General|Limited|Restricted|Générale|Limitée|Restreinte|Limitada|Reservada"
_DISTR = re.compile(rf"(?:^|\s)Distr\.\s*:?\s*(?P<kind>{_KINDS})?(?![a-zé])", re.IGNORECASE)
_DISTR_KIND = re.compile(rf"^(?:{_KINDS})$", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\[?Original\s*:\s*(?P<lang>[^\]\n]+)", re.IGNORECASE)
_LANGUAGE_LINE = re.compile(rf"^(?:{'|'.join(LANGUAGES)})(?:\s*(?:,|and)\s*(?:{'|'.join(LANGUAGES)}))*(?:\s+only)?$",
                            re.IGNORECASE)
_JOB_NUMBER = re.compile(r"^((?:GE\.)?\d{2}-\d{5})\s*\([A-Z]\)")
_BARCODE = re.compile(r"\*\d{5,}\*")
_UN_NAMES = ("United Nations", "Nations Unies", "Naciones Unidas")
_ORGANS = ("General Assembly", "Security Council", "Economic and Social Council", "Human Rights Council",
           "Assemblée générale", "Conseil de sécurité", "Conseil économique et social", "Conseil des droits de l'homme",
           "Asamblea General", "Consejo de Seguridad", "Consejo Económico y Social", "Consejo de Derechos Humanos",
           "Trusteeship Council")
_BODY_OF_PREFIX = {"A/HRC": "Human Rights Council", "A": "General Assembly", "S": "Security Council",
                   "E": "Economic and Social Council"}
MASTHEAD_LINES = 45  # page 1's masthead and title block sit in its first lines
SYMBOL_LINES = 12  # and the symbol in the very first ones (a cover page's "Supplement No. 23" line may come first)


@dataclass
class Masthead:
    """Facts printed on page 1, as printed (dates as ISO); an absent fact is None, never a guess."""

    symbols: list[str] = field(default_factory=list)  # masthead symbols in order: ["A/79/898", "S/2025/281"]
    distribution: str | None = None  # "General", "Limited"
    date: str | None = None  # date of issue (Distr. line), ISO
    adopted: str | None = None  # date of adoption of a resolution (title block), ISO
    letter_date: str | None = None  # "Letter dated 2 May 2025": the letter's own date, ISO
    original: str | None = None  # language of the original, as a code ("en")
    language: str | None = None  # language of this version when page 1 says so ("English / Original: French")
    organs: list[str] = field(default_factory=list)  # "General Assembly", "Security Council"
    doc_type: str = "document"
    body: str | None = None  # issuing or adopting body
    title_lines: list[str] = field(default_factory=list)  # the title block, one printed line each
    type_line: int | None = None  # index in title_lines of the line that gave the type
    furniture: list[str] = field(default_factory=list)  # masthead lines that are not document text
    job_number: str | None = None  # the UN's job number of this version, printed at page 1's foot: "25-02542"
    languages: str | None = None  # the languages a limited version is issued in: "English, French and Spanish only"

    @property
    def header_lines(self) -> list[str]:
        """The title block down to the line that gives the type (and a resolution's adoption lines):
        what the metadata stands for, before the body."""
        if self.type_line is None:
            return []
        end = self.type_line + 1
        for i, line in enumerate(self.title_lines[end:end + 3], start=end):
            if re.match(r"^(?:Resolution\s+)?adopted\s+by\b", line, re.IGNORECASE):
                end = i + 2
        return self.title_lines[:end]

    @property
    def symbol(self) -> str | None:
        """The joint symbol as the UN prints it: ``A/79/898–S/2025/281``."""
        return "–".join(self.symbols) or None


def symbol_line(line: str) -> list[str] | None:
    """The symbols of a line made only of symbols (and "United Nations"), else None."""
    rest = re.sub(rf"^\s*(?:{'|'.join(_UN_NAMES)})\b", "", line)
    found = [m for m in SYMBOL.finditer(rest) if re.search(r"\d", m.group(0))]
    if not found:
        return None
    gaps = [rest[:found[0].start()]] + [rest[a.end():b.start()] for a, b in zip(found, found[1:])] + [rest[found[-1].end():]]
    if not all(_JOINT_SEPARATOR.match(g) for g in gaps):
        return None
    return [normalize_symbol(m.group(0)) for m in found]


def normalize_symbol(symbol: str) -> str:
    """One spelling per symbol: ``S/RES/2768(2025)`` -> ``S/RES/2768 (2025)``, ``A/80/15(Part I)`` -> ``A/80/15 (Part I)``."""
    symbol = re.sub(r"\s*\(", " (", symbol.strip().rstrip("*"))
    return re.sub(r"\s+", " ", symbol)


def split_joint(symbol: str) -> list[str]:
    """The parts of a joint symbol ``A/79/898–S/2025/281`` (en dash, em dash or spaced hyphen)."""
    return [normalize_symbol(s) for s in re.split(r"\s*[–—]\s*|\s+-\s+|(?<=[\d)*])-(?=[A-Z]+/)", symbol) if s.strip()]


def from_file_name(path: Path) -> tuple[str | None, str | None]:
    """Symbol and language from a UN file name: ``A_80_275.en.pdf`` -> ("A/80/275", "en").

    The UN's documentation system names a file by its symbol with ``/`` written ``_`` and the
    language code before the extension. A name that does not read as a symbol gives (None, None).
    """
    name = path.name
    stem = name[: -len(path.suffix)] if path.suffix else name
    language = None
    if m := re.fullmatch(r"(.+)\.([a-z]{2})", stem):
        stem, language = m.group(1), m.group(2)
    for candidate in (normalize_symbol(stem.replace("_", "/")), _dashed_symbol(stem)):
        if candidate and SYMBOL.fullmatch(candidate) and "/" in candidate and re.search(r"\d", candidate):
            return candidate, language
    return None, language


def _dashed_symbol(stem: str) -> str | None:
    """A symbol written with ``-`` for ``/``, as collections name files (``A-72-PV.99``, ``S-RES-808-1993``).

    Only a name that opens with a UN organ's letters is read this way; ``ES-10`` (an emergency
    special session) keeps its hyphen, a record's number its dot (``S-PV-8000`` -> ``S/PV.8000``),
    and a Security Council resolution's trailing year is put back in brackets: ``S-RES-0808-1993``
    -> ``S/RES/808 (1993)``.
    """
    if "_" in stem or not re.match(r"[ASE]-", stem):
        return None
    symbol = re.sub(r"(?<=/)ES/(\d+)", r"ES-\1", stem.replace("-", "/"))
    symbol = re.sub(r"/PV/(\d+)$", r"/PV.\1", symbol)
    if m := re.fullmatch(r"S/RES/0*(\d+)/(\d{4})", symbol):
        symbol = f"S/RES/{m.group(1)} ({m.group(2)})"
    return normalize_symbol(symbol)


def amended(symbol: str) -> tuple[str, str] | None:
    """What an addendum, corrigendum or revision amends: ``E/2025/68/Corr.1`` -> ("E/2025/68", "Corr")."""
    m = _AMENDMENT.match(symbol)
    return (m.group("base"), m.group("kind")) if m else None


def page_one_lines(page, plain_text: str) -> list[str]:
    """Page 1 of a PDF (a pypdf page, and its plain extraction) as printed lines: the plain extraction's,
    or layout-mode cells when those lack the masthead."""
    if page is None:
        return []
    plain = [line.strip() for line in (plain_text or "").splitlines() if line.strip()]
    if any(symbol_line(line) for line in plain[:SYMBOL_LINES]):
        return plain
    layout = page.extract_text(extraction_mode="layout") or ""
    cells = [cell.strip() for line in layout.splitlines() for cell in re.split(r"\s{3,}", line) if cell.strip()]
    return cells if any(symbol_line(cell) for cell in cells[:SYMBOL_LINES]) else plain


def iso_date(text: str) -> str | None:
    m = DATE.search(text)
    if not m:
        return None
    month = _MONTH_NUMBER[m.group(2).lower()]
    return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"


_STOPWORDS = {"en": {"the", "and", "of", "to", "is", "that", "with"},
              "fr": {"le", "les", "et", "du", "des", "est", "une", "dans"},
              "es": {"el", "los", "las", "y", "del", "una", "por", "con"}}


def text_language(text: str) -> str | None:
    """The language the text is written in, by its commonest words; None when too short to tell."""
    words = re.findall(r"[a-zà-ÿ]+", text[:6000].lower())
    counts = sorted(((sum(w in stop for w in words), lang) for lang, stop in _STOPWORDS.items()), reverse=True)
    (best, lang), (second, _) = counts[0], counts[1]
    return lang if best >= 20 and best >= 2 * second else None


def _language(text: str) -> str | None:
    first = re.split(r"[/,]|\s+and\s+", text.strip().lower())[0].strip(" .]")
    return LANGUAGES.get(first)


def read_masthead(lines: list[str]) -> Masthead:
    """The masthead facts and the title block of page 1's lines."""
    m = Masthead()
    head = [re.sub(r"\s+", " ", line).strip() for line in lines[:MASTHEAD_LINES * 2] if line.strip()]
    last_fact = -1
    distr_at = None
    for i, line in enumerate(head[:MASTHEAD_LINES]):
        if (symbols := symbol_line(line)) and not m.symbols and (distr_at is None or i - distr_at <= 4):
            m.symbols = symbols
            m.furniture.append(line)
        elif d := _DISTR.search(line):
            distr_at = i
            m.distribution = (d.group("kind") or "").title() or None
            m.date = m.date or iso_date(line[d.end():])
            m.furniture.append(line)
        elif distr_at is not None and m.distribution is None and _DISTR_KIND.match(line):
            m.distribution = line.title()
            m.furniture.append(line)
        elif distr_at is not None and m.date is None and i - distr_at <= 4 and iso_date(line) \
                and DATE.fullmatch(line.strip(" *")):
            m.date = iso_date(line)
            m.furniture.append(line)
        elif o := _ORIGINAL.match(line):
            if not line.startswith("["):
                m.original = _language(o.group("lang"))
                if i > 0 and _LANGUAGE_LINE.match(head[i - 1]) and head[i - 1] in m.furniture:
                    m.language = _language(head[i - 1])
                m.furniture.append(line)
        elif _LANGUAGE_LINE.match(line) and (distr_at is not None or m.symbols) and i <= (last_fact + 2):
            m.furniture.append(line)
            if line.lower().endswith(" only"):
                m.languages = line
        elif line in _ORGANS and (m.symbols or distr_at is not None or i < 4):
            if line not in m.organs:
                m.organs.append(line)
            m.furniture.append(line)
        elif line in _UN_NAMES or _JOB_NUMBER.match(line) or _BARCODE.fullmatch(line):
            m.furniture.append(line)
        elif m.symbols or distr_at is not None:
            break  # the first line after the masthead facts opens the title block
        else:
            continue  # scanner debris above the masthead ("UNITED", "NATIONS A")
        last_fact = i
    title = []
    for line in head[last_fact + 1:]:
        if title and _BODY_START.match(line):
            break
        if line in m.furniture or _JOB_NUMBER.match(line) or _BARCODE.fullmatch(line):
            continue
        title.append(line)
        if len(title) >= MASTHEAD_LINES:
            break
    m.title_lines = title
    # the first job number on page 1, in the masthead or at its foot below the first lines of the body
    m.job_number = next((job.group(1) for line in lines if (job := _JOB_NUMBER.match(line.strip()))), None)
    _type_from_title(m)
    return m


def with_file_symbol(m: Masthead, symbol: str) -> Masthead:
    """Page 1 printed no symbol (a record whose masthead was stripped in extraction), so the file
    name's symbol stands for it, and the type follows from that symbol's shape (``PV.`` is a record)."""
    m.symbols = [symbol]
    _type_from_title(m)
    return m


def _type_from_title(m: Masthead) -> None:
    """The document type from the symbol's shape and the title block, in order of precedence."""
    symbol = m.symbols[0] if m.symbols else ""
    segments = symbol.split("/")
    rules = [  # (type, title-block line that says it, or the symbol's shape that does)
        ("verbatim_record", None, any(s.startswith("PV.") for s in segments)),
        ("resolution", _RESOLUTION_TITLE, "RES" in segments),
        ("draft", _DRAFT_TITLE, any(re.fullmatch(r"L\.\d+", s) for s in segments)),
        ("decision", _DECISION_TITLE, "DEC" in segments),
        ("letter", _LETTER_TITLE, False),
        ("note", _NOTE_TITLE, False),
        ("report", _SG_REPORT_TITLE, False),
        ("body_report", _BODY_REPORT_TITLE, False),
    ]
    for doc_type, title, by_symbol in rules:
        hit = next((i for i, line in enumerate(m.title_lines) if title and title.match(line)), None)
        if by_symbol or hit is not None:
            m.doc_type, m.type_line = doc_type, hit
            break
    if m.doc_type in ("report", "note"):
        m.body = "Secretary-General"
    elif m.doc_type == "resolution":
        for line in m.title_lines:
            found = _RESOLUTION_TITLE.match(line)
            found = found if found and found.group("body") else _ADOPTED.match(line)
            if found and not m.body:
                m.body = next(o for o in _ORGANS if o.lower() == found.group("body").lower())
        m.body = m.body or _body_of_symbol(symbol)
        m.adopted = _adoption_date(m.title_lines)
        numbered = next((r for line in m.title_lines if (r := _RESOLUTION_TITLE.match(line)) and r.group("n")), None)
        if not m.symbols and numbered and m.body == "Security Council":
            # "RESOLUTION 808 (1993) / Adopted by the Security Council …": the title block names it
            m.symbols = [f"S/RES/{numbered.group('n')} ({numbered.group('y')})"]
    elif m.doc_type == "letter" and m.type_line is not None:
        m.letter_date = iso_date(m.title_lines[m.type_line])


def _adoption_date(title_lines: list[str]) -> str | None:
    """"Adopted by the Security Council at its 3175th meeting, on 22 February 1993" (title block only)."""
    for i, line in enumerate(title_lines):
        if re.match(r"^(?:Resolution\s+)?adopted\s+by\b", line, re.IGNORECASE):
            return iso_date(" ".join(title_lines[i:i + 2]))
    return None


def _body_of_symbol(symbol: str) -> str | None:
    for prefix, body in _BODY_OF_PREFIX.items():
        if symbol == prefix or symbol.startswith(prefix + "/"):
            return body
    return None


def strip_masthead(text: str, m: Masthead, page_chars: int = 6000) -> str:
    """``text`` without the masthead's lines on page 1, whose facts the graph keeps as properties.

    The symbol line, "Distr.", the date of issue, "Original:", language lines, job numbers and
    barcodes go wherever page 1 holds them (a form XObject's masthead comes out at the page's end);
    the organ lines ("Security Council") only above the title block, where a letter's title may
    end with the same words.
    """
    cut = text.find("\n", page_chars)
    head, rest = (text, "") if cut < 0 else (text[:cut + 1], text[cut + 1:])
    dates = {line for line in m.furniture if DATE.fullmatch(line.strip(" *"))}
    anywhere = {line for line in m.furniture if line not in _ORGANS and line not in _UN_NAMES} - dates
    above_title = set(m.furniture)
    first_title = m.title_lines[0] if m.title_lines else None
    kept, in_head, after_distr = [], True, False
    for line in head.splitlines(keepends=True):
        flat = re.sub(r"\s+", " ", line).strip()
        if first_title and flat == first_title:
            in_head = False
        if flat and (flat in anywhere or (in_head and flat in above_title) or (after_distr and flat in dates)
                     or _JOB_NUMBER.match(flat) or _BARCODE.fullmatch(flat)):
            after_distr = bool(_DISTR.search(flat))  # the date of issue follows "Distr.", even at a page's end
            continue
        after_distr = after_distr and not flat
        kept.append(line)
    return re.sub(r"\A\s+", "", "".join(kept)) + rest


def title_of(m: Masthead, blocks: list[str]) -> str | None:
    """A readable title: the letter's "Letter dated …" sentence, the resolution's number and subject,
    or the subject printed above "Report of the Secretary-General"; ``blocks`` are page 1's text
    blocks (blank-line separated) when the reader kept them, which say where a title ends."""
    if m.type_line is None:
        meeting = next((line for line in m.title_lines if _MEETING.match(line)), None)
        if m.doc_type == "verbatim_record" and meeting:
            return f"{m.organs[0] if m.organs else m.symbol}, {meeting}"
        lines = [line for line in m.title_lines if not _SESSION_LINE.match(line)]
        return _clean_title(lines[0]) if lines else None
    line = m.title_lines[m.type_line]
    block = next((b for b in blocks if re.sub(r"\s+", " ", b).strip().startswith(line)), None)
    if m.doc_type == "resolution" and m.symbols and "RES" in m.symbols[0].split("/"):
        number = re.sub(r"^.*?/RES/", "", m.symbols[0])
        subject = next((re.sub(r"^\d+/\d+\.\s*", "", t) for t in m.title_lines if re.match(r"^\d+/\d+\.\s+\S", t)), None)
        return f"{m.body or 'United Nations'} resolution {number}" + (f": {subject}" if subject else "")
    if m.doc_type in ("letter", "decision", "draft", "resolution", "body_report") or m.type_line == 0:
        return _clean_title(re.sub(r"\s+", " ", block) if block else line)
    before = [b for b in blocks if re.sub(r"\s+", " ", b).strip() in " ".join(m.title_lines)]
    subject = None
    for b in before:
        flat = re.sub(r"\s+", " ", b).strip()
        if flat.startswith(line):
            break
        if not _SESSION_LINE.match(flat) and len(re.findall(r"[A-Za-z]{2,}", flat)) >= 3:  # not scanner debris
            subject = flat
    if subject is None and m.type_line > 0:
        subject = m.title_lines[m.type_line - 1]
    return _clean_title(subject or line)


def _clean_title(text: str) -> str:
    return re.sub(r"[*]+$", "", re.sub(r"\s+", " ", text).strip())[:300]
