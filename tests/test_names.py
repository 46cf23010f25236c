"""The one name resolver (names.py) and the one IRI shortener (terms.py), on hand-made entities."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automaker_kg.errors import AmbiguousNameError, UnknownNameError
from automaker_kg.names import Candidate, resolve, suggest
from automaker_kg.terms import expand, short

KG = "https://w3id.org/automaker-kg/id/"


def entity(slug: str, label: str, *aliases: str, curated: bool = True) -> Candidate:
    iri = KG + slug
    return Candidate(iri, label, aliases, (short(iri), iri, slug), preferred=curated)


PEOPLE = [
    entity("nissan", "Nissan", "Nissan Motor Co., Ltd.", "the Japanese automaker"),
    entity("renault", "Renault", "Renault SA", "Groupe Renault"),
    entity("renault-nissan-alliance", "Renault–Nissan Alliance", "the alliance"),
    entity("geely-holding", "Geely Holding", "Geely", "Zhejiang Geely Holding Group"),
    entity("geely-auto", "Geely Auto"),
    entity("aramco-base-oil", "Aramco Base Oil", "Luberef"),
    entity("wikidata/Q1", "Renault", curated=False),
]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Nissan", "nissan"),
        ("  NISSAN ", "nissan"),
        ("the japanese automaker", "nissan"),
        ("Renault", "renault"),  # the curated group before the imported namesake
        ("groupe renault", "renault"),
        ("Renault-Nissan Alliance", "renault-nissan-alliance"),  # dash kinds are one
        ("kg:geely-auto", "geely-auto"),
        (KG + "geely-holding", "geely-holding"),
        ("geely-holding", "geely-holding"),
        ("Aramco", "aramco-base-oil"),  # a unique name that starts with it as a word
        ("Zhejiang", "geely-holding"),
    ],
)
def test_names_resolve_by_label_alias_identifier_then_prefix(name, slug):
    """Labels, aliases, identifiers and unique leading words name one entity."""
    assert resolve(name, PEOPLE) == KG + slug


def test_an_alias_that_starts_another_name_is_ambiguous():
    """'Geely' is Geely Holding's alias, but Geely Auto starts with it: both listed."""
    with pytest.raises(AmbiguousNameError) as info:
        resolve("Geely", PEOPLE)
    message = str(info.value)
    assert "Geely Holding" in message and "Geely Auto" in message
    assert info.value.exit_code == 2


def test_same_label_twice_names_each_by_identifier():
    """Two imported entities with one label are told apart by their prefixed names."""
    twins = [entity("bods/a", "Acme", curated=False), entity("bods/b", "Acme", curated=False)]
    with pytest.raises(AmbiguousNameError, match=r"Acme \(kg:bods/a\), Acme \(kg:bods/b\)"):
        resolve("acme", twins)


def test_a_misspelt_name_gets_did_you_mean_and_no_list():
    """'Nisan' suggests Nissan; the message never lists every name."""
    many = PEOPLE + [entity(f"c{i}", f"Company {i}") for i in range(500)]
    with pytest.raises(UnknownNameError) as info:
        resolve("Nisan", many, hint="see `automaker-kg entities`")
    message = str(info.value)
    assert message.startswith("unknown entity 'Nisan'; did you mean Nissan")
    assert len(message) < 150


def test_unknown_names_of_small_sets_list_them():
    """A short list of valid names (formats, views) is given in full, with a suggestion."""
    error = UnknownNameError("format", "jsn", ["table", "csv", "json"])
    assert str(error) == "unknown format 'jsn'; did you mean json?; valid: csv, json, table"


def test_query_names_get_suggestions():
    assert suggest("cross-holding", ["cross-holdings", "claims-by-status"]) == ["cross-holdings"]


@given(st.text(max_size=40))
def test_any_text_resolves_or_fails_cleanly(name):
    """Whatever is typed: one key back, or an input error (exit code 2), nothing else."""
    try:
        assert resolve(name, PEOPLE) in {c.key for c in PEOPLE}
    except UnknownNameError as error:
        assert error.exit_code == 2 and len(str(error)) < 400


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        (KG + "document/kyodo-2023-02-06", "doc:kyodo-2023-02-06"),
        (KG + "nissan", "kg:nissan"),
        ("https://w3id.org/automaker-kg/ontology#EquityStake", "akg:EquityStake"),
        ("http://www.w3.org/2001/XMLSchema#decimal", "xsd:decimal"),
        ("urn:x:1", "urn:x:1"),
    ],
)
def test_short_names_use_the_longest_namespace(iri, name):
    assert short(iri) == name
    if ":" in name and not name.startswith("urn"):
        assert str(expand(name)) == iri
