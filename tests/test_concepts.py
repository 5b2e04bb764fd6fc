"""Search across languages: concepts, country names, did-you-mean, and cited provisions."""

from __future__ import annotations

import re

import pytest

import jurisdex
from jurisdex.cli import main

ALL = 10_000


def test_a_french_query_finds_smuggling_cases_in_other_languages(corpus_index, all_records):
    query = "trafic illicite de migrants"
    plain = corpus_index.search(query, expand=False, limit=ALL)
    expanded = corpus_index.search(query, limit=ALL)
    assert "offences:smuggling_of_migrants" in expanded.concepts and plain.concepts == []
    smuggling_elsewhere = {r["id"] for r in all_records
                           if "smuggling_of_migrants" in r["offences"] and r["language"] in ("en", "nl", "de", "es")}
    assert smuggling_elsewhere <= set(expanded.ids())
    assert not smuggling_elsewhere <= set(plain.ids())
    # records using the query's own words still rank first
    assert expanded.hits[0].record["language"] == "fr"


def test_human_trafficking_meets_traite_des_etres_humains(corpus_index, all_records):
    french = {r["id"] for r in all_records if r["language"] == "fr" and "traite des etres humains" in
              jurisdex.fold(r["summary"]) and "trafficking_in_persons" in r["offences"]}
    assert french
    res = corpus_index.search("human trafficking", limit=ALL)
    assert "offences:trafficking_in_persons" in res.concepts
    assert french <= set(res.ids())


def test_country_names_in_any_language(corpus_index, all_records):
    for name in ("Italie", "Italien", "Italia", "Italy"):
        res = corpus_index.search(name, limit=ALL)
        assert res.concepts == ["country:ITA"], name
        assert {r["id"] for r in all_records if r["country"] == "ITA"} <= set(res.ids())


def test_thesaurus_topics_cross_languages(corpus_index, all_records):
    """The vocabulary's thesaurus: "Fischerboot" (German) and "peschereccio" (Italian) name the
    fishing-vessel concept, so the English records about fishing boats match both."""
    text = lambda r: jurisdex.fold(" ".join([r["title"], r["summary"], r.get("text", "")]))
    english = {r["id"] for r in all_records
               if r["language"] == "en" and re.search(r"\bfishing (boat|vessel)s?\b", text(r))}
    assert english
    for query in ("Fischerboot", "peschereccio"):
        res = corpus_index.search(query, limit=ALL)
        assert res.concepts == ["topic:fishing_vessel"], query
        assert english <= set(res.ids()), query
        assert not english & set(corpus_index.search(query, expand=False, limit=ALL).ids())
    assert "topic:ransom" in corpus_index.search("Lösegeld").concepts


def test_country_adjectives_and_demonyms(corpus_index, all_records):
    libya = {r["id"] for r in all_records if r["country"] == "LBY"}
    for query in ("libyschen Lagern", "migranti libici", "Libyan camps", "des passeurs libyens"):
        res = corpus_index.search(query, limit=ALL)
        assert "country:LBY" in res.concepts, query
        assert libya <= set(res.ids()), query


def test_short_stems_match_only_their_own_word(corpus_index):
    """Italian stems "Mali" and "male" alike ("mal"), "Gambia" and "gambe" ("gamb"): a short stem
    that differs from its word matches only that word."""
    assert corpus_index.search("Mali").concepts == ["country:MLI"]
    assert "country:MLI" not in corpus_index.search("male", lang="it").concepts
    assert "country:MLI" not in corpus_index.search("il male").concepts
    assert "country:GMB" not in corpus_index.search("gambe").concepts


def test_short_stems_take_their_words_inflections(corpus_index):
    """A short-stem synonym still takes its word with an ending of one or two letters: "tote"
    (German stem "tot") takes "Toten", "witness" (English stem "wit") takes "witnesses"."""
    assert "topic:death" in corpus_index.search("mit Toten").concepts
    assert "topic:witness" in corpus_index.search("the witnesses").concepts
    assert "topic:witness" not in corpus_index.search("wit").concepts


def test_operators_keep_their_literal_matches_and_cross_languages(corpus_index):
    # Each operand matches as itself or the concepts it names: every literal match of AND, a
    # phrase or default_op="and" stays, and records in other languages join them.
    for query, kwargs in (("boat AND smuggling", {}), ('"people smuggling"', {}), ("passeur", {"default_op": "and"})):
        with_concepts = set(corpus_index.search(query, limit=ALL, **kwargs).ids())
        without = set(corpus_index.search(query, limit=ALL, expand=False, **kwargs).ids())
        assert without < with_concepts, query
    # A word restricted to a field matches literally.
    assert set(corpus_index.search("title:protocol", limit=ALL).ids()) == set(
        corpus_index.search("title:protocol", limit=ALL, expand=False).ids())


def test_concepts_come_only_from_plain_words(corpus_index):
    assert corpus_index.search("aggravations:death").concepts == []
    assert "aggravations:death" in corpus_index.search("deaths in lorries").concepts


def test_did_you_mean(corpus_index):
    assert corpus_index.search("smugling").suggestion == "smuggling"
    assert corpus_index.search("title:smugling AND boat").suggestion == "title:smuggling AND boat"
    assert corpus_index.search("smuggling").suggestion is None
    assert corpus_index.search("country:ITA").suggestion is None


def test_a_colon_in_prose_is_not_a_field(corpus_index):
    assert corpus_index.search("mensenhandel: risico").total > 0


@pytest.mark.parametrize(
    "sentence, provision",
    [
        ("Article 6 of the Smuggling Protocol requires States to criminalise it.", "INT:SOM-PROTOCOL:6"),
        ("Voir l'article 3 du Protocole contre le trafic illicite de migrants.", "INT:SOM-PROTOCOL:3"),
        ("Under article 3 of the Trafficking in Persons Protocol the means are irrelevant.", "INT:TIP-PROTOCOL:3"),
        ("He was charged under 8 U.S.C. § 1324(a)(1)(A)(ii).", "USA:8-USC:1324"),
        ("Convicted under 18 U.S.C. 1593A for benefiting.", "USA:18-USC:1593A"),
        ("Veroordeeld op grond van art. 197a Sr.", "NLD:SR:197a"),
        ("Strafbar nach § 96 Abs. 1 AufenthG.", "DEU:AUFENTHG:96"),
        ("Verurteilt nach § 232a StGB.", "DEU:STGB:232a"),
        ("Poursuivi sur le fondement de l'article L823-1 du CESEDA.", "FRA:CESEDA:L823-1"),
        ("Condamné selon l'article 225-4-1 du code pénal.", "FRA:CP:225-4-1"),
        ("Reato previsto dall'art. 12 d.lgs. 286/1998.", "ITA:DLGS-286-1998:12"),
        ("Ai sensi dell'art. 12 bis del d.lgs. n. 286 del 1998.", "ITA:DLGS-286-1998:12-bis"),
    ],
)
def test_citations_are_found_in_text(tmp_path, corpus_records, sentence, provision):
    record = dict(corpus_records["cases"][0], summary=sentence)
    record.pop("cites", None)
    record.pop("text", None)
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add(record)
        assert idx.cited_by(provision).ids() == [record["id"]]
        assert idx.facet_counts("cites") == {provision: 1}


def test_article_6_of_the_contract_is_not_the_protocol(tmp_path, corpus_records):
    record = dict(corpus_records["cases"][0], summary="Under article 6 of the contract, wages were withheld.")
    record.pop("cites", None)
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add(record)
        assert idx.facet_counts("cites") == {}


def test_given_cites_are_kept_and_not_extracted(tmp_path, corpus_records):
    record = dict(corpus_records["cases"][0], summary="Charged under 8 U.S.C. § 1324.", cites=["INT:SOM-PROTOCOL:6"])
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add(record)
        assert idx.facet_counts("cites") == {"INT:SOM-PROTOCOL:6": 1}


def test_cited_by_on_the_corpus(corpus_index, all_records):
    explicit = {r["id"] for r in all_records if "INT:SOM-PROTOCOL:6" in r.get("cites", [])}
    res = corpus_index.cited_by("INT:SOM-PROTOCOL:6", limit=ALL)
    assert explicit <= set(res.ids())
    assert res.total == len(res.hits)


def test_cli_cites(tmp_path, capsys):
    from conftest import CORPUS

    db = str(tmp_path / "idx")
    assert main(["index", str(CORPUS), "--db", db, "-q"]) == 0
    capsys.readouterr()
    assert main(["search", "", "--db", db, "--cites", "USA:8-USC:1324", "--format", "csv", "--limit", "50"]) == 0
    out = capsys.readouterr().out
    assert "usa-" in out
    assert main(["search", "trafic illicite de migrants", "--db", db, "--no-expand", "--format", "json"]) == 0


def test_keywords_name_concepts_in_any_language(tmp_path, corpus_records):
    """Keywords are an editor's labels, in whatever language: "forfeiture" on a Spanish record
    names the confiscation concept, which a German query reaches."""
    about_confiscation = re.compile(r"decomis|comiso|incauta|embargo|activos|bienes|producto del delito|ganancias")
    record = next(r for r in corpus_records["cases"] if r["language"] == "es" and not about_confiscation.search(
        jurisdex.fold(" ".join([r["title"], r["summary"], r.get("text", "")]))))
    plain = dict(record, id=record["id"] + "-plain", keywords=[])
    labelled = dict(record, id=record["id"] + "-labelled", keywords=["forfeiture"])
    with jurisdex.Index(tmp_path / "idx", create=True) as idx:
        idx.add([plain, labelled])
        res = idx.search("Einziehung")
        assert res.concepts == ["topic:confiscation"]
        assert res.ids() == [labelled["id"]]
        assert idx.search("Einziehung", expand=False).ids() == []
