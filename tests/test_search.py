"""Search over the shipped corpus: results are checked against the records themselves."""

from __future__ import annotations

import collections

import pytest

import jurisdex
from jurisdex import QueryError

ALL = 10_000  # a page that holds every match


def values(record: dict, facet: str) -> list:
    """A record's values of a facet, computed here independently of the index."""
    if facet == "year":
        return [record["date"][:4]] if record.get("date") else []
    if facet == "financial_benefit":
        return [record["financial_benefit"]["element"]] if record.get("financial_benefit") else []
    if facet == "region":
        return [jurisdex.region_of(record["country"])] if jurisdex.region_of(record["country"]) else []
    v = record.get(facet)
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def ids_where(records, predicate) -> set:
    return {r["id"] for r in records if predicate(r)}


@pytest.mark.parametrize("facet", ["country", "offences", "aggravations", "financial_benefit", "year", "type",
                                   "language", "region", "outcome"])
def test_facet_counts_over_all_matches_are_exact(corpus_index, all_records, facet):
    expected = collections.Counter(v for r in all_records for v in values(r, facet))
    res = corpus_index.search("", facets=[facet], limit=5)
    assert res.total == len(all_records) and res.total_exact
    assert res.facets[facet] == dict(expected)
    assert list(res.facets[facet].values()) == sorted(expected.values(), reverse=True)
    assert corpus_index.facet_counts(facet) == dict(expected)


def test_several_facets_in_one_search_are_each_exact(corpus_index, all_records):
    asked = ["offences", "country", "aggravations", "offences", "year", "cites"]  # one twice
    res = corpus_index.search("smuggling", facets=asked, limit=0)
    matching = [r for r in all_records if r["id"] in set(corpus_index.search("smuggling", limit=ALL).ids())]
    assert len(matching) == res.total > 0
    for facet in asked:
        if facet == "cites":  # partly extracted from the text at indexing: check against the index
            expected = {v: corpus_index.search("smuggling", cites=v, limit=0).total for v in res.facets[facet]}
            assert res.facets[facet] == expected and expected
        else:
            assert res.facets[facet] == dict(collections.Counter(v for r in matching for v in values(r, facet)))


def test_multi_valued_facets_count_each_value(corpus_index, all_records):
    matching = [r for r in all_records if "ITA" == r["country"]]
    expected = collections.Counter(o for r in matching for o in r["offences"])
    res = corpus_index.search("", country="ITA", facets=["offences"], limit=0)
    assert res.total == len(matching)
    assert res.facets["offences"] == dict(expected)
    assert sum(expected.values()) > len(matching)  # several offences per record, each counted


def test_filters_or_within_and_across(corpus_index, all_records):
    res = corpus_index.search("", country=["ITA", "GRC"], offences="smuggling_of_migrants", limit=ALL)
    expected = ids_where(all_records, lambda r: r["country"] in ("ITA", "GRC") and "smuggling_of_migrants" in r["offences"])
    assert expected and set(res.ids()) == expected and res.total == len(expected)


def test_year_range_and_date_range(corpus_index, all_records):
    res = corpus_index.search("", year=(2015, 2020), limit=ALL)
    assert set(res.ids()) == ids_where(all_records, lambda r: r.get("date") and 2015 <= int(r["date"][:4]) <= 2020)
    res = corpus_index.search("", date=("2019-01", "2019-06"), limit=ALL)
    assert set(res.ids()) == ids_where(all_records, lambda r: "2019-01" <= r.get("date", "")[:7] <= "2019-06"
                                       and len(r.get("date", "")) >= 7)
    in_query = corpus_index.search("year:2015..2020", limit=ALL)
    assert set(in_query.ids()) == set(corpus_index.search("", year=(2015, 2020), limit=ALL).ids())
    open_ended = corpus_index.search("", year=(2020, None), limit=ALL)
    assert set(open_ended.ids()) == ids_where(all_records, lambda r: r.get("date") and int(r["date"][:4]) >= 2020)


def test_facet_values_in_query_text(corpus_index, all_records):
    res = corpus_index.search("country:ita aggravations:death", default_op="and", limit=ALL)
    assert set(res.ids()) == ids_where(all_records, lambda r: r["country"] == "ITA" and "death" in r.get("aggravations", []))
    region = corpus_index.search("region:Europe", limit=ALL)
    assert region.total == sum(1 for r in all_records if jurisdex.region_of(r["country"]) == "150")


def test_boolean_operators_follow_set_algebra(corpus_index):
    def ids(q, **options):  # words only: concept expansion adds matches to free text (test_concepts)
        return set(corpus_index.search(q, limit=ALL, expand=False, **options).ids())

    boat, smuggling = ids("boat"), ids("smuggling")
    assert boat and smuggling
    assert ids("boat AND smuggling") == boat & smuggling
    assert ids("boat OR smuggling") == boat | smuggling
    assert ids("smuggling NOT boat") == smuggling - boat
    assert ids("+smuggling -boat") == smuggling - boat
    assert ids("boat smuggling") == boat | smuggling  # default operator OR
    assert ids("boat smuggling", default_op="and") == boat & smuggling


def test_phrase_and_near(corpus_index, all_records):
    # Literally (expand=False); with concepts, the phrase also finds what it names (test_semantics).
    res = corpus_index.search('"people smuggling"', limit=ALL, expand=False)
    folded = lambda r: jurisdex.fold(" ".join([r["title"], r["summary"], r.get("text", "")]))
    assert res.ids() and all("people smuggling" in folded(r.record) for r in res.hits)
    expected = ids_where(all_records, lambda r: "people smuggling" in folded(r))
    assert set(res.ids()) == expected
    near = set(corpus_index.search("people NEAR/2 smuggling", limit=ALL, expand=False).ids())
    assert expected <= near


def test_field_queries(corpus_index):
    res = corpus_index.search("title:protocol", limit=ALL)
    assert res.ids() and all("protocol" in jurisdex.fold(h.title) for h in res.hits)
    assert set(corpus_index.search('title:"smuggling protocol"', limit=ALL).ids()) <= set(res.ids())


def test_stemming_finds_other_forms(corpus_index, all_records):
    folded = {r["id"]: set(jurisdex.fold(r["title"] + " " + r["summary"] + " " + r.get("text", "")).split())
              for r in all_records if r["language"] == "en"}
    only_smuggling = {i for i, words in folded.items() if "smuggling" in words and "smuggled" not in words}
    found = set(corpus_index.search("smuggled", language="en", limit=ALL).ids())
    assert only_smuggling and only_smuggling <= found


def test_wildcard(corpus_index):
    res = corpus_index.search("smuggl*", limit=ALL)
    assert set(corpus_index.search("smuggler", limit=ALL, expand=False).ids()) <= set(res.ids())


def test_sort_by_date_and_pagination(corpus_index):
    newest = corpus_index.search("", type="case", sort="-date", limit=ALL)
    dates = [h.date for h in newest.hits if h.date]
    assert dates == sorted(dates, reverse=True)
    oldest = corpus_index.search("", type="legislation", sort="date", limit=ALL)
    dated = [h.date for h in oldest.hits if h.date]
    assert dated == sorted(dated)
    assert [h.date for h in oldest.hits][len(dated):] == [""] * (oldest.total - len(dated))  # undated last
    full = corpus_index.search("migrants", limit=ALL).ids()
    pages = [corpus_index.search("migrants", limit=7, offset=o).ids() for o in range(0, 21, 7)]
    assert sum(pages, []) == full[:21]
    assert [h.rank for h in corpus_index.search("migrants", limit=3, offset=4)] == [4, 5, 6]


def test_snippets_mark_matched_words(corpus_index):
    res = corpus_index.search("shipwreck", limit=20)
    in_summary = [h for h in res.hits if "shipwreck" in jurisdex.fold(h.record["summary"])]
    assert in_summary
    for h in in_summary:
        assert "<mark>" in h.snippet
        marked = h.snippet.split("<mark>")[1].split("</mark>")[0]
        assert jurisdex.fold(marked).startswith("shipwreck")
    custom = corpus_index.search("shipwreck", limit=1, marks=("[", "]"))
    assert "[" in custom[0].snippet and "<mark>" not in custom[0].snippet


def test_hits_carry_the_stored_record(corpus_index, all_records):
    by_id = {r["id"]: r for r in all_records}
    res = corpus_index.search("trafficking", limit=10)
    for h in res.hits:
        assert h.record == by_id[h.id]
        assert (h.title, h.country, h.date) == (by_id[h.id]["title"], by_id[h.id]["country"], by_id[h.id].get("date", ""))


def test_get(corpus_index, all_records):
    assert corpus_index.get(all_records[0]["id"]) == all_records[0]
    assert corpus_index.get("no-such-id") is None
    assert all_records[0]["id"] in corpus_index


def test_similar(corpus_index, all_records):
    cases = [r for r in all_records if r["type"] == "case" and r["language"] == "en"]
    for target in cases[:20]:
        res = corpus_index.similar(target["id"], limit=10)
        assert len(res.hits) == 10 and target["id"] not in res.ids()
    # Records like a smuggling case are mostly smuggling records too.
    shared = 0
    smuggling = [r for r in cases if r["offences"] == ["smuggling_of_migrants"]][:20]
    for target in smuggling:
        shared += sum("smuggling_of_migrants" in h.record["offences"] for h in corpus_index.similar(target["id"], limit=5))
    assert shared >= 0.6 * 5 * len(smuggling)
    only_cases = corpus_index.similar(target["id"], limit=5, type="case")
    assert all(h.record["type"] == "case" for h in only_cases.hits)
    with pytest.raises(QueryError, match="no record with id 'nope'"):
        corpus_index.similar("nope")


def test_similar_crosses_languages_by_concepts(corpus_index):
    """A German summary of the Paris trial over the Essex lorry deaths: its stems find German
    records only; its concepts (Vietnamese victims, a lorry, suffocation...) find the English
    records of the same deaths, tried in Belgium and England."""
    seed = "fra-paris-2023-essex-lorry-18-defendants"
    assert corpus_index.get(seed)["language"] == "de"
    stems_only = corpus_index.similar(seed, limit=5, expand=False)
    assert {h.record["language"] for h in stems_only.hits} == {"de"}
    found = corpus_index.similar(seed, limit=5).ids()
    assert {"bel-bruges-2022-essex-lorry-belgian-cell",
            "gbr-essex-lorry-deaths-nica-hughes-harrison-robinson-2021"} <= set(found)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"query": "foo:bar"}, "unknown field 'foo'"),
        ({"query": "titel:protocol"}, "did you mean 'title'?"),
        ({"query": "offences:smugling"}, "did you mean 'smuggling_of_migrants'?"),
        ({"query": "country:XYZ"}, "unknown value 'XYZ' for facet 'country'"),
        ({"query": "(boat OR"}, "cannot parse query"),
        ({"query": "AND"}, "cannot parse query"),
        ({"query": "year:20x5..2020"}, "bad year '20x5'"),
        ({"query": "date:2019-13..2020"}, "bad date '2019-13'"),
        ({"query": "", "country": "Italy"}, "unknown value 'Italy' for facet 'country'"),
        ({"query": "", "colour": "red"}, "unknown facet 'colour'"),
        ({"query": "", "facets": ["colour"]}, "unknown facet 'colour'"),
        ({"query": "", "sort": "title"}, "sort must be"),
        ({"query": "boat", "lang": "klingon"}, "unknown language"),
        ({"query": "boat", "default_op": "xor"}, "default_op must be"),
    ],
)
def test_query_errors(corpus_index, kwargs, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace("?", r"\?")):
        corpus_index.search(**kwargs)


@pytest.mark.parametrize("query", ['"unbalanced', "((((", "*", "-", "+", "NOT", "title:", "::", "\u200b", "a" * 5000,
                                   "ZXMboat Qid XCOUNTRY:ITA", "year:..", "日本語 AND NOT", "smuggling " * 2000])
def test_hostile_queries_return_results_or_query_error(corpus_index, query):
    try:
        res = corpus_index.search(query)
    except QueryError:
        return
    assert res.total >= 0


def test_internal_terms_are_not_reachable(corpus_index):
    # Raw index terms typed by a user are folded like any word, so they never hit a facet, id or
    # concept term (words only: "taller textil" rightly names the textile-workshop concept).
    assert corpus_index.search("XCOUNTRY:ITA").total == 0
    assert corpus_index.search("Qarg-camara-federal-la-plata-expte-6955-taller-textil", expand=False).total == 0
    assert corpus_index.search("XCtopic:boat", expand=False).total == 0
