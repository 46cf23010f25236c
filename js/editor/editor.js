// The query page's editor: CodeMirror 6 with SPARQL highlighting and completion of the
// project's prefixes, ontology terms and SPARQL keywords. Bundled by `make editor` into
// src/automaker_kg/static/editor.js (one file, served by the server itself: no CDN).
import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";
import { StreamLanguage } from "@codemirror/language";
import { autocompletion } from "@codemirror/autocomplete";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

const KEYWORDS = [
  "SELECT", "DISTINCT", "WHERE", "PREFIX", "OPTIONAL", "FILTER", "BIND", "VALUES", "UNION",
  "MINUS", "GRAPH", "ORDER BY", "GROUP BY", "HAVING", "LIMIT", "OFFSET", "ASK", "CONSTRUCT",
  "DESCRIBE", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "NOT EXISTS",
  "EXISTS", "STR", "LANG", "LANGMATCHES", "REGEX", "CONTAINS", "STRSTARTS", "COALESCE", "IF",
  "BOUND", "YEAR", "ASC", "DESC", "AS",
];

function readJSON(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : {};
}

function completer(prefixes, terms) {
  const prefixOptions = Object.keys(prefixes).sort().map((p) => ({
    label: p + ":", type: "namespace", detail: prefixes[p],
  }));
  const keywordOptions = KEYWORDS.map((k) => ({ label: k, type: "keyword" }));
  return (context) => {
    const prefixed = context.matchBefore(/[A-Za-z][\w-]*:[\w-]*/);
    if (prefixed) {
      const colon = prefixed.text.indexOf(":");
      const prefix = prefixed.text.slice(0, colon);
      const names = terms[prefix];
      if (!names) { return null; }
      return {
        from: prefixed.from + colon + 1,
        options: names.map((n) => ({ label: n, type: "property" })),
        validFor: /^[\w-]*$/,
      };
    }
    const word = context.matchBefore(/[A-Za-z][\w-]*/);
    if (!word && !context.explicit) { return null; }
    return {
      from: word ? word.from : context.pos,
      options: prefixOptions.concat(keywordOptions),
      validFor: /^[\w-]*$/,
    };
  };
}

function setUp() {
  const textarea = document.getElementById("query");
  const form = document.getElementById("query-form");
  if (!textarea || !form) { return; }
  const prefixes = readJSON("akg-prefixes");
  const terms = readJSON("akg-terms");
  const run = () => { form.requestSubmit(document.getElementById("run")); return true; };
  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      basicSetup,
      StreamLanguage.define(sparql),
      autocompletion({ override: [completer(prefixes, terms)] }),
      Prec.highest(keymap.of([{ key: "Mod-Enter", run }])),
      EditorView.lineWrapping,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) { textarea.value = update.state.doc.toString(); }
      }),
    ],
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  textarea.hidden = true;
  window.akgEditor = view;
  const error = document.getElementById("error");
  if (error && error.dataset.line) {
    const line = view.state.doc.line(Math.min(Number(error.dataset.line), view.state.doc.lines));
    const pos = Math.min(line.from + Math.max(Number(error.dataset.column) - 1, 0), line.to);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  }
  const library = document.getElementById("library");
  if (library) {
    library.addEventListener("change", () => {
      form.requestSubmit(document.getElementById("load"));
    });
  }
  document.body.setAttribute("data-editor-ready", "1");
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUp);
} else {
  setUp();
}
