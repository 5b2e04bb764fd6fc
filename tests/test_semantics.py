"""Answers that are never silently wrong: concepts inside operators, the field's own words and
false friends, AND within a facet, missing values counted (issue 14, items 1-4)."""

from __future__ import annotations

import collections

import pytest

import jurisdex
from jurisdex import all_of

ALL = 5000
ES_IT = {"language": ["es", "it"]}


def ids(res) -> set:
    return set(res.ids())


# ---- 1. Cross-lingual matching survives operators, ranges and phrases ----

def test_boolean_operators_cross_languages(corpus_index):
    free = corpus_index.search("boat shipwreck", limit=ALL, **ES_IT)
    assert free.total > 0  # Spanish and Italian records, found by the concepts the words name
    for query in ("boat OR shipwreck", "(boat OR shipwreck)"):
        assert ids(corpus_index.search(query, limit=ALL, **ES_IT)) == ids(free), query
    both = corpus_index.search("boat AND shipwreck", limit=ALL, **ES_IT)
    assert 0 < both.total < free.total
    assert ids(corpus_index.search("boat shipwreck", default_op="and", limit=ALL, **ES_IT)) == ids(both)
    assert ids(corpus_index.search("+boat +shipwreck", limit=ALL, **ES_IT)) == ids(both)
    # Each side is "the word or the concepts it names", so AND is the intersection of the sides.
    boat = ids(corpus_index.search("boat", default_op="and", limit=ALL, **ES_IT))
    wreck = ids(corpus_index.search("shipwreck", default_op="and", limit=ALL, **ES_IT))
    assert ids(both) == boat & wreck


def test_without_expansion_operators_are_literal(corpus_index):
    assert corpus_index.search("boat OR shipwreck", expand=False, **ES_IT).total == 0
    assert corpus_index.search("boat OR shipwreck", expand=False, **ES_IT).concepts == []


def test_not_excludes_in_every_language(corpus_index):
    wrecks = ids(corpus_index.search("shipwreck", default_op="and", limit=ALL, **ES_IT))
    assert wrecks
    res = corpus_index.search("+smuggling -shipwreck", limit=ALL, **ES_IT)
    assert res.total > 0 and not ids(res) & wrecks
    assert not ids(corpus_index.search("smuggling NOT shipwreck", limit=ALL, **ES_IT)) & wrecks


@pytest.mark.parametrize("query", ["shipwreck", "passeur", "people smuggling", "Schleusung Lkw"])
def test_a_range_in_the_query_is_the_keyword_range(corpus_index, query):
    in_query = corpus_index.search(f"{query} year:2015..2024", limit=ALL)
    keyword = corpus_index.search(query, year=(2015, 2024), limit=ALL)
    assert in_query.ids() == keyword.ids() and in_query.total > 0
    assert ids(corpus_index.search(f"{query} country:ITA", limit=ALL)) == ids(
        corpus_index.search(query, country="ITA", limit=ALL))


def test_a_phrase_matches_literally_and_by_the_concept_it_names(corpus_index):
    res = corpus_index.search('"people smuggling"', limit=ALL)
    assert "offences:smuggling_of_migrants" in res.concepts
    literal = corpus_index.search('"people smuggling"', limit=ALL, expand=False)
    assert ids(literal) < ids(res)
    assert {h.record["language"] for h in res.hits} >= {"en", "fr", "de", "it", "nl", "es"}
    # A phrase that names no concept stays literal.
    plain = '"the court of appeal"'
    assert ids(corpus_index.search(plain, limit=ALL)) == ids(corpus_index.search(plain, limit=ALL, expand=False))


def test_concepts_lists_only_what_was_applied(corpus_index):
    assert corpus_index.search("title:boat shipwreck").concepts == ["topic:shipwreck"]  # title: is literal
    assert corpus_index.search("boat NEAR/3 capsized").concepts == []  # NEAR's words are literal
    assert corpus_index.search("boat OR shipwreck").concepts == ["topic:boat", "topic:shipwreck"]


def test_topics_are_query_fields(corpus_index):
    boats = corpus_index.search("topic:boat", limit=ALL)
    assert boats.total > 0 and {h.record["language"] for h in boats.hits} >= {"en", "it", "es"}
    with pytest.raises(jurisdex.QueryError, match="did you mean 'boat'"):
        corpus_index.search("topic:boats")


# ---- 2. The field's own words, and false friends ----

@pytest.mark.parametrize("word, concept", [
    ("smuggling", "offences:smuggling_of_migrants"), ("smugglers", "offences:smuggling_of_migrants"),
    ("trafficking", "offences:trafficking_in_persons"), ("traffickers", "offences:trafficking_in_persons"),
    ("passeur", "offences:smuggling_of_migrants"), ("Schleusung", "offences:smuggling_of_migrants"),
    ("mensenhandel", "offences:trafficking_in_persons"), ("mensensmokkel", "offences:smuggling_of_migrants"),
    ("Menschenhandel", "offences:trafficking_in_persons"), ("scafisti", "offences:smuggling_of_migrants"),
    ("tráfico", "offences:smuggling_of_migrants"), ("traffico", "offences:smuggling_of_migrants"),
])
def test_the_fields_words_name_their_offences(corpus_index, word, concept):
    res = corpus_index.search(word, limit=ALL)
    assert concept in res.concepts
    assert len({h.record["language"] for h in res.hits}) == 6


def test_goods_smuggling_ranks_after_every_migrant_smuggling_case(corpus_index):
    res = corpus_index.search("smuggling", limit=ALL)
    rank = {h.id: h.rank for h in res.hits}
    goods = rank["gbr-ewca-civ-2020-405-general-transport"]  # excise duty on smuggled goods
    migrant = [h.rank for h in res.hits if h.record["type"] == "case"
               and "smuggling_of_migrants" in h.record["offences"]]
    assert migrant and max(migrant) < goods
    # ... while a query about goods finds it first.
    assert corpus_index.search("smuggling excise duty goods").ids()[0] == "gbr-ewca-civ-2020-405-general-transport"


# (query in its language, a concept a word of it names only through another language)
FALSE_FRIENDS = [
    ("what kind of smuggling network was it", "aggravations:minors"),      # Dutch/German "kind", child
    ("what kind of smuggling network was it", "topic:child"),
    ("they told us how the smugglers organised the crossing", "country:USA"),  # "us"
    ("a police escort took the migrants to the border", "topic:prostitution"),
    ("le passeur a avoué car il voulait réduire sa peine", "topic:car"),    # French "car", because
    ("la fin du voyage des migrants à Calais", "country:FIN"),             # French "fin", end
    ("le prévenu a continué à nier les faits de trafic", "topic:organ_removal"),  # Dutch "nier", kidney
    ("la recherche des victimes de la traite", "topic:police"),           # Dutch "recherche", detectives
    ("son avocat a fait appel de la condamnation", "topic:family_member"),  # French "son", his
    ("tráfico de migrantes con fines de lucro", "topic:fine"),            # Spanish "fines", purposes
    ("al fin del viaje los migrantes pagaron al traficante", "country:FIN"),
    ("este caso de tráfico de migrantes en Ceuta", "country:EST"),        # Spanish "este", this
    ("al fine di ottenere un profitto dal traffico di migranti", "topic:fine"),  # Italian "fine", purpose
    ("alla fine del viaggio i migranti sono stati abbandonati", "country:FIN"),
    ("le dichiarazioni lette in aula dai testimoni", "country:LVA"),      # Italian "lette", read
    ("het arrest van de rechtbank over mensensmokkel", "topic:arrest"),   # Dutch "arrest", judgment
    ("de kapitein red de migranten uit zee", "topic:criminal_network"),   # Dutch "red", saves
    ("die Schleuser wollten also mehr Geld", "country:USA"),
]


@pytest.mark.parametrize("query, concept", FALSE_FRIENDS)
def test_false_friends_do_not_name_concepts(corpus_index, query, concept):
    assert concept not in corpus_index.search(query, limit=0).concepts


@pytest.mark.parametrize("query, concept", [
    ("een kind werd over de grens gesmokkeld", "aggravations:minors"),  # in its own language it does
    ("Der Schleuser brachte ein Kind über die Grenze", "aggravations:minors"),
    ("the smugglers drove a car to the border", "topic:car"),
    ("son and daughter were smuggled", "topic:family_member"),
    ("fines imposed on the smugglers", "topic:fine"),
])
def test_the_same_words_name_concepts_in_their_own_language(corpus_index, query, concept):
    assert concept in corpus_index.search(query, limit=0).concepts


def test_a_query_language_given_decides(corpus_index):
    assert "topic:fine" in corpus_index.search("fines", limit=0).concepts  # one word: any language
    assert "topic:fine" not in corpus_index.search("fines", lang="es", limit=0).concepts


# ---- 3. AND within one facet; no spelling of AND that silently means OR ----

def having(records, field, *values):
    return {r["id"] for r in records if set(values) <= set(r.get(field, []))}


def test_all_of_is_and_within_a_facet(corpus_index, all_records):
    both = having(all_records, "offences", "trafficking_in_persons", "forced_labour")
    either = {r["id"] for r in all_records if {"trafficking_in_persons", "forced_labour"} & set(r["offences"])}
    assert 0 < len(both) < len(either)
    anyof = corpus_index.search(offences=["trafficking_in_persons", "forced_labour"], limit=ALL)
    allof = corpus_index.search(offences=all_of("trafficking_in_persons", "forced_labour"), limit=ALL)
    assert ids(anyof) == either and ids(allof) == both
    assert ids(corpus_index.search("offences:trafficking_in_persons AND offences:forced_labour", limit=ALL)) == both


def test_all_of_everywhere_filters_are_taken(corpus_index, all_records, tmp_path):
    f = {"offences": all_of("trafficking_in_persons", "forced_labour")}
    both = having(all_records, "offences", "trafficking_in_persons", "forced_labour")
    assert set(corpus_index.to_pandas(**f)["id"]) == both
    assert corpus_index.crosstab("type", "country", **f).loc["All", "All"] == len(both)
    assert corpus_index.export(tmp_path / "x.csv", **f) == len(both)
    assert sum(corpus_index.facet_counts("type", **f).values()) == len(both)
    seed = sorted(both)[0]
    assert ids(corpus_index.similar(seed, limit=50, **f)) <= both
    cited = corpus_index.cited_by("INT:TIP-PROTOCOL:3", limit=None, offences=all_of("trafficking_in_persons"))
    assert all("trafficking_in_persons" in h.record["offences"] for h in cited.hits)


def test_two_values_of_a_field_under_default_and_are_and(corpus_index, all_records):
    both = having(all_records, "offences", "trafficking_in_persons", "forced_labour")
    res = corpus_index.search("offences:trafficking_in_persons offences:forced_labour", default_op="and", limit=ALL)
    assert ids(res) == both
    # Under the default OR, two values of one field are either, as in Xapian and Lucene.
    assert ids(corpus_index.search("offences:trafficking_in_persons offences:forced_labour", limit=ALL)) > both


def test_all_of_needs_values():
    with pytest.raises(ValueError):
        all_of()


# ---- 4. Missing values are counted, not dropped ----

NOT_STATED = "(not stated)"
SMUGGLING_CASES = {"type": "case", "offences": "smuggling_of_migrants"}


def test_crosstab_keeps_the_records_without_a_value(corpus_index, all_records):
    cases = [r for r in all_records if r["type"] == "case" and "smuggling_of_migrants" in r["offences"]]
    table = corpus_index.crosstab("country", "financial_benefit", dropna=False, **SMUGGLING_CASES)
    no_value = [r for r in cases if "financial_benefit" not in r]
    assert no_value and table.loc["All", NOT_STATED] == len(no_value)
    # Single-valued columns: every matching record is in exactly one cell of its row.
    body = table.drop(index="All", columns="All")
    assert int(body.values.sum()) == len(cases)
    assert (body.sum(axis=1) == table["All"].drop("All")).all()
    dropped = corpus_index.crosstab("country", "financial_benefit", **SMUGGLING_CASES)
    assert NOT_STATED not in dropped.columns and dropped.loc["All", "All"] == len(cases)
    # A row for records without a row value, too (cases with no court_level).
    levels = corpus_index.crosstab("court_level", "financial_benefit", dropna=False, **SMUGGLING_CASES)
    no_level = [r for r in cases if "court_level" not in r]
    assert levels.loc[NOT_STATED, "All"] == len(no_level)
    assert levels.loc[NOT_STATED, NOT_STATED] == len([r for r in no_level if "financial_benefit" not in r])


def test_facet_counts_over_filters_with_missing(corpus_index, all_records):
    cases = [r for r in all_records if r["type"] == "case" and "smuggling_of_migrants" in r["offences"]]
    counts = corpus_index.facet_counts("financial_benefit", dropna=False, **SMUGGLING_CASES)
    assert sum(counts.values()) == len(cases)
    assert counts[NOT_STATED] == len([r for r in cases if "financial_benefit" not in r])
    multi = corpus_index.facet_counts("aggravations", dropna=False, **SMUGGLING_CASES)
    assert multi[NOT_STATED] == len([r for r in cases if not r.get("aggravations")])
    assert NOT_STATED not in corpus_index.facet_counts("financial_benefit", **SMUGGLING_CASES)


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_undated_records_sort_last(corpus_index, sort):
    res = corpus_index.search("", type="case", sort=sort, limit=None)
    dates = [h.date for h in res.hits]
    first_undated = dates.index("")
    assert "" in dates and all(d == "" for d in dates[first_undated:])
    dated = dates[:first_undated]
    assert dated == sorted(dated, reverse=sort == "-date")


def test_to_pandas_has_an_integer_year(corpus_index):
    df = corpus_index.to_pandas(type="case")
    assert str(df["year"].dtype) == "Int64"
    for date, year in zip(df["date"], df["year"]):
        assert (year is pd_na() and not isinstance(date, str)) or int(date[:4]) == year


def pd_na():
    import pandas as pd
    return pd.NA


def test_limit_none_returns_every_match(corpus_index, all_records):
    res = corpus_index.search("", type="legislation", limit=None)
    assert len(res.hits) == res.total == len([r for r in all_records if r["type"] == "legislation"])


def test_counts_add_up_to_the_records(corpus_index, all_records):
    counted = collections.Counter(r["type"] for r in all_records)
    assert corpus_index.facet_counts("type") == dict(counted.most_common())
