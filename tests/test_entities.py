"""Entity linking: country-name traps, the taxonomy's match terms, and the links in the ingested graph."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.entities import (COUNTRIES_FILE, TAXONOMY_FILE, Linker, Taxonomy, load_countries, taxonomy_text)

C = "https://w3id.org/r2p-kg/country/"
R2P_DOC = "https://w3id.org/r2p-kg/doc/A-67-929/para/"


@pytest.fixture(scope="module")
def linker() -> Linker:
    return Linker.default()


def countries(linker: Linker, text: str) -> list[tuple[str, str]]:
    return [(m.key, m.surface) for m in linker.link(text) if m.property == "mentionsCountry"]


@pytest.mark.parametrize("text, expected", [
    ("Niger and Nigeria, Nigerien and Nigerian forces",
     [("NER", "Niger"), ("NGA", "Nigeria"), ("NER", "Nigerien"), ("NGA", "Nigerian")]),
    ("Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea, but not the island of New Guinea",
     [("GIN", "Guinea"), ("GNB", "Guinea-Bissau"), ("GNQ", "Equatorial Guinea"), ("PNG", "Papua New Guinea")]),
    ("the Sudan, South Sudan and South Sudanese refugees",
     [("SDN", "Sudan"), ("SSD", "South Sudan"), ("SSD", "South Sudanese")]),
    ("Dominica and the Dominican Republic", [("DMA", "Dominica"), ("DOM", "Dominican Republic")]),
    ("the Congo, the Republic of the Congo, the Democratic Republic of the Congo and the DRC",
     [("COG", "Congo"), ("COG", "Republic of the Congo"), ("COD", "Democratic Republic of the Congo"), ("COD", "DRC")]),
    ("Michael Jordan met envoys of Jordan near Lake Chad. Georgia and Chad joined.",
     [("JOR", "Jordan"), ("GEO", "Georgia"), ("TCD", "Chad")]),
    ("The Indonesian National Human Rights Commission, the Canadian Charter, the Rwandan genocide, Kenyan elections",
     [("IDN", "Indonesian"), ("CAN", "Canadian"), ("RWA", "Rwandan"), ("KEN", "Kenyan")]),
    ("Türkiye (formerly Turkey) and Eswatini (formerly Swaziland)",
     [("TUR", "Türkiye"), ("TUR", "Turkey"), ("SWZ", "Eswatini"), ("SWZ", "Swaziland")]),
    ("the Holy See, the State of Palestine, Viet Nam and the Plurinational State of Bolivia",
     [("VAT", "Holy See"), ("PSE", "State of Palestine"), ("VNM", "Viet Nam"), ("BOL", "Plurinational State of Bolivia")]),
    ("Iran (Islamic Republic of), the Republic of Korea, the Russian Federation, Côte d'Ivoire",
     [("IRN", "Iran (Islamic Republic of)"), ("KOR", "Republic of Korea"), ("RUS", "Russian Federation"),
      ("CIV", "Côte d'Ivoire")]),
    ("the Syrian Arab Republic (Syria), the United Republic of Tanzania (Tanzania)",
     [("SYR", "Syrian Arab Republic"), ("SYR", "Syria"), ("TZA", "United Republic of Tanzania"), ("TZA", "Tanzania")]),
    ("the former Yugoslavia and Bosnia and Herzegovina", [("YUG", "former Yugoslavia"), ("BIH", "Bosnia and Herzegovina")]),
    ("Kosovo and Korea", []),  # not a UN Member or observer State; ambiguous
    ("the Chinese, French, Russian, English, and Spanish texts are equally authentic", []),  # languages
    ("a Japan-based programme; Syria's war", [("SYR", "Syria")]),
])
def test_country_traps(linker, text, expected):
    assert countries(linker, text) == expected


def test_crimes_pillars_and_actors_report_paragraph_2(linker):
    text = ("The first pillar refers to the primary responsibility of each State to protect its populations by "
            "preventing genocide, war crimes, ethnic cleansing and crimes against humanity (\"atrocity crimes\"). "
            "The second pillar sets out the parallel commitment of the international community. The third pillar "
            "underscores the range of tools available to my Special Advisers on the Prevention of Genocide and on "
            "the Responsibility to Protect, the Security Council and the ICC, including against incitement.")
    found = [(m.property, m.key, m.surface) for m in linker.link(text)]
    assert found == [
        ("mentionsPillar", "1", "first pillar"),
        ("mentionsCrime", "genocide", "genocide"), ("mentionsCrime", "war-crimes", "war crimes"),
        ("mentionsCrime", "ethnic-cleansing", "ethnic cleansing"),
        ("mentionsCrime", "crimes-against-humanity", "crimes against humanity"),
        ("mentionsPillar", "2", "second pillar"), ("mentionsPillar", "3", "third pillar"),
        ("mentionsActor", "special-adviser-genocide",
         "Special Advisers on the Prevention of Genocide and on the Responsibility to Protect"),
        ("mentionsActor", "special-adviser-r2p",
         "Special Advisers on the Prevention of Genocide and on the Responsibility to Protect"),
        ("mentionsActor", "security-council", "Security Council"),
        ("mentionsActor", "international-criminal-court", "ICC"),
        ("mentionsCrime", "incitement", "incitement"),
    ]


def test_acronyms_match_as_written_other_terms_in_any_case(linker):
    assert [m.key for m in linker.link("the icc and the Icc; GENOCIDE and Genocide")] == ["genocide", "genocide"]


def test_taxonomy_lists_every_un_member_and_observer_with_a_region():
    taxonomy = Taxonomy.load()
    countries_ = [c for c in taxonomy.scheme("country")]
    rows = load_countries()
    assert sum(r.status == "member" for r in rows) == 193
    assert sorted(r.iso3 for r in rows if r.status == "observer") == ["PSE", "VAT"]
    assert sorted(r.iso3 for r in rows if r.status == "former") == ["CSK", "SUN", "YUG"]
    assert len(countries_) == 198 and all(c.region for c in countries_)
    regions = {}
    for r in rows:
        if r.status == "member":
            regions[r.region] = regions.get(r.region, 0) + 1
    assert regions == {"Africa": 54, "Americas": 35, "Asia": 47, "Europe": 43, "Oceania": 14}
    kenya = taxonomy.concepts[C + "KEN"]
    assert (kenya.pref_label, kenya.notation, kenya.region, kenya.demonyms) == (
        "Kenya", "KEN", "https://w3id.org/r2p-kg/region/africa", ["Kenyan", "Kenyans"])


def test_risk_factor_scheme_has_the_fourteen_framework_factors():
    taxonomy = Taxonomy.load()
    factors = {c.notation: c for c in taxonomy.scheme("risk-factor") if c.notation.isdigit()}
    assert sorted(factors, key=int) == [str(n) for n in range(1, 15)]
    assert factors["2"].pref_label == "Record of serious violations of international human rights and humanitarian law"
    assert factors["10"].pref_label == "Signs of an intent to destroy in whole or in part a protected group"
    groups = {n: c.broader[0].rsplit("/", 1)[-1] for n, c in factors.items()}
    assert [n for n, g in groups.items() if g == "common"] == [str(n) for n in range(1, 9)]
    assert sorted((n for n, g in groups.items() if g != "common"), key=int) == ["9", "10", "11", "12", "13", "14"]
    assert {groups["9"], groups["10"], groups["11"], groups["12"], groups["13"], groups["14"]} == {
        "genocide", "crimes-against-humanity", "war-crimes"}


def test_generated_country_block_is_up_to_date():
    """Regenerate with `python -m ingest.entities --write-taxonomy` when this fails."""
    assert TAXONOMY_FILE.read_text(encoding="utf-8") == taxonomy_text()


def test_bad_country_line_names_file_line_and_field(tmp_path):
    bad = tmp_path / "countries.tsv"
    lines = COUNTRIES_FILE.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("iso3\t"))
    bad.write_text("\n".join(lines[: header + 1] + ["KEN\tmember\tAfrika\tKenya\t\t\t", "XXX\tmember\tAfrica\tX\t\t\t"]))
    with pytest.raises(ValueError) as err:
        load_countries(bad)
    assert str(err.value) == f"{bad}:{header + 2}: region 'Afrika' is not one of Africa, Americas, Asia, Europe, Oceania"
    bad.write_text("\n".join(lines[: header + 1] + ["XXX\tmember\tAfrica\tX\t\t\t"]))
    with pytest.raises(ValueError, match=r":\d+: iso3 'XXX' is not an ISO 3166 code known to pycountry"):
        load_countries(bad)


# -- in the ingested graph -------------------------------------------------------------------------
def test_paragraph_72_links_exactly_its_six_countries(corpus_store):
    rows = corpus_store.select(f"SELECT ?c {{ <{R2P_DOC}72> r2p:mentionsCountry ?c }}")
    assert sorted(r["c"].removeprefix(C) for r in rows) == ["CIV", "COD", "KEN", "LKA", "SDN", "SYR"]


def test_report_paragraphs_that_discuss_each_risk_factor(corpus_store):
    rows = corpus_store.select("""
        SELECT ?n ?rf { ?p r2p:inDocument <https://w3id.org/r2p-kg/doc/A-67-929> ; a r2p:Paragraph ; r2p:number ?n ;
                        r2p:discussesRiskFactor/skos:notation ?rf }""")
    by_para: dict[int, list[int]] = {}
    for r in rows:
        by_para.setdefault(int(r["n"]), []).append(int(r["rf"]))
    section_iii = {n: sorted(v) for n, v in by_para.items() if 12 <= n <= 28}
    assert section_iii == {
        12: [1, 13], 13: [1], 14: [1, 10, 11], 16: [6, 8], 17: [2], 18: [9], 19: [9], 20: [9], 21: [4],
        22: [1, 5, 6], 23: [7, 12], 24: [3], 25: [2, 14], 26: [10, 11], 27: [1, 8, 9], 28: [1, 2, 13],
    }


def test_countries_regions_and_labels_are_in_the_ontology_graph(corpus_store):
    rows = corpus_store.select(f"""
        SELECT ?label ?region ?status {{ GRAPH <https://w3id.org/r2p-kg/graph/ontology> {{
            <{C}CIV> skos:prefLabel ?label ; r2p:region/skos:prefLabel ?region ; r2p:unStatus ?status }} }}""")
    assert rows == [{"label": "Côte d'Ivoire", "region": "Africa", "status": "member"}]


@pytest.mark.parametrize("text, expected", [
    ("Jordan Lee Calderon of the Indian Law Resource Center", []),  # a person; an organization
    ("the Shi'a Turkmen and Iraqi Turkmen communities; Turkmen officials", [("TKM", "Turkmen")]),  # ethnic groups
    ("Alliance Fleuve Congo (AFC/M23) and the Mouvement de libération du Congo", []),  # party names
    ("la République démocratique du Congo et la République du Congo",
     [("COD", "République démocratique du Congo"), ("COG", "République du Congo")]),
    ("la República Democrática del Congo", [("COD", "República Democrática del Congo")]),
    ("Jordan, Lebanon and the Congo", [("JOR", "Jordan"), ("LBN", "Lebanon"), ("COG", "Congo")]),
    ("the Sudan Liberation Army-Abdul Wahid and the Sudan People's Liberation Movement-North", []),  # parties
    ("the Sudan Armed Forces", [("SDN", "Sudan")]),  # the State's own army
    ("convoys to travel from Port Sudan to Darfur", []),  # a city
    ("Zimbabwe Women Resources Centre, Japan Water Forum and the Uganda National NGO Forum", []),  # organizations
    ("an officer of the Kenya Revenue Authority in Nairobi", [("KEN", "Kenya")]),  # the State's own organ
])
def test_country_names_inside_other_names_on_real_text(linker, text, expected):
    """Traps met in real UN documents (issue 11): a State's name inside a person's, an organization's,
    an ethnic group's or a party's name is no mention of it; French and Spanish names link right."""
    assert countries(linker, text) == expected


def _spans(matches) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in matches]


def test_the_scan_by_first_word_finds_what_the_whole_alternation_finds(linker):
    """The linker tries at each word only the terms that start with it; on every paragraph of the
    bundled corpus, in its case, upper and lower case, and on words where Unicode case rules bite,
    it finds the same names at the same places as one regular expression of all terms (the
    linker's behaviour before)."""
    texts = ["Côte d'Ivoire, COTE D'IVOIRE, côte d'ivoire; ſudan, the Kenya-Uganda border, anti-Kenya, Kenya_2",
             "Tchad, Chad's, TÜRKIYE and Türkiye, GENOCIDE, Genocide and genocide; (ICC) and icc"]
    for path in sorted((Path(__file__).parents[1] / "corpus").glob("[!d]*/*.txt")):  # the debates are long
        texts += path.read_text(encoding="utf-8").split("\n\n")
    found = 0
    for text in texts:
        for variant in (text, text.upper(), text.lower()):
            expected = _spans(linker._pattern.finditer(variant))
            assert _spans(linker._matches(variant)) == expected, variant[:200]
            found += len(expected)
    assert found > 1000  # the corpus names many


def test_a_term_that_does_not_start_with_a_letter_or_digit_is_refused():
    with pytest.raises(ValueError, match="must start with a letter or digit"):
        Linker(Taxonomy.load(), blocked=("(Sudan)",))
