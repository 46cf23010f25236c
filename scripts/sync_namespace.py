"""Rewrite the AKG class body in src/automaker_kg/namespaces.py from the ontology files.

Usage: python scripts/sync_namespace.py   (tests/test_namespaces.py fails until it is run)

Every ``akg:`` term that some ``ontology/*.ttl`` file declares (as a subject with an rdf:type)
becomes an annotated attribute of the closed ``AKG`` namespace, so a typo raises.
"""

import re
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parents[1]
AKG = "https://w3id.org/automaker-kg/ontology#"


def ontology_terms() -> list[str]:
    graph = rdflib.Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        if path.name != "shapes.ttl":
            graph.parse(path)
    return sorted(
        {
            str(s)[len(AKG) :]
            for s in graph.subjects(rdflib.RDF.type, None)
            if str(s).startswith(AKG)
        }
        - {""}
    )


def main() -> None:
    path = ROOT / "src" / "automaker_kg" / "namespaces.py"
    source = path.read_text(encoding="utf-8")
    body = "\n".join(f"    {term}: URIRef" for term in ontology_terms())
    pattern = re.compile(r"(    _fail = True\n\n)(?:    \w+: URIRef\n)+")
    new, count = pattern.subn(lambda m: m.group(1) + body + "\n", source)
    if count != 1:
        raise SystemExit("could not find the AKG class body")
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
