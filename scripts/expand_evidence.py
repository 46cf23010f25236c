"""Expand EVIDENCE(p,s) and the SHA256 placeholder in an authoring template into Turtle.

Usage: python scripts/expand_evidence.py TEMPLATE DOCUMENT DOC_PREFIXED_NAME > OUT.ttl

A helper for writing fact files by hand: the author points at sentences by paragraph and
sentence number; this fills in the character offsets (and the document hash) that the graph
stores. tests/test_seed.py re-checks every selector against the document.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from automaker_kg.sources.documents import read_text, sentence_span, sha256_of  # noqa: E402


def main(template: str, document: str, doc_name: str) -> None:
    text = read_text(Path(document))
    source = Path(template).read_text(encoding="utf-8")

    def evidence(match: re.Match) -> str:
        p, s = int(match[1]), int(match[2])
        span = sentence_span(text, p, s)
        return (
            f"prov:wasDerivedFrom [ a oa:SpecificResource ; oa:hasSource {doc_name} ;\n"
            f"        oa:hasSelector [ a oa:TextPositionSelector ; akg:paragraph {p} ; "
            f"akg:sentence {s} ; oa:start {span.start} ; oa:end {span.end} ] ]"
        )

    out = re.sub(r"EVIDENCE\((\d+),(\d+)\)", evidence, source)
    out = out.replace(" , prov:wasDerivedFrom", " ;\n    prov:wasDerivedFrom")
    out = out.replace('"SHA256"', f'"{sha256_of(Path(document))}"')
    sys.stdout.write(out)


if __name__ == "__main__":
    main(*sys.argv[1:4])
