// The web page: search with citations, and a SPARQL editor with example queries.
// Every piece of data is inserted with textContent (never innerHTML), so document text cannot inject markup.
"use strict";

const BASE = "https://w3id.org/r2p-kg/";
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function localPage(uri) {
  return uri.startsWith(BASE) ? "/id/" + uri.slice(BASE.length) : uri;
}

async function errorText(response) {
  try { return (await response.json()).error || response.statusText; } catch { return response.statusText; }
}

// -- tabs ------------------------------------------------------------------------------------------
function showTab(name) {
  for (const tab of ["search", "sparql"]) {
    $("tab-" + tab).setAttribute("aria-selected", String(tab === name));
    $("panel-" + tab).hidden = tab !== name;
  }
  history.replaceState(null, "", name === "search" ? location.pathname : "#" + name);
}
$("tab-search").addEventListener("click", () => showTab("search"));
$("tab-sparql").addEventListener("click", () => showTab("sparql"));
if (location.hash === "#sparql") showTab("sparql");

// -- search ----------------------------------------------------------------------------------------
function highlighted(text, sentence) {
  // The paragraph with its best-matching sentence marked.
  const p = el("p", { class: "text" });
  const at = sentence ? text.indexOf(sentence) : -1;
  if (at < 0) {
    p.append(text);
    if (sentence) p.prepend(el("mark", {}, sentence), " — ");
    return p;
  }
  p.append(text.slice(0, at), el("mark", {}, sentence), text.slice(at + sentence.length));
  return p;
}

function documentPage(uri) {
  // The paragraph in its document's page: .../doc/A-67-929/para/46 -> /documents/A-67-929#para-46
  const [doc, ...rest] = uri.slice((BASE + "doc/").length).split("/");
  return `/documents/${doc}` + (rest.length ? "#" + rest.join("-") : "");
}

function copyButton(text) {
  const button = el("button", { type: "button", class: "copy", "aria-label": "Copy citation: " + text }, "Copy citation");
  button.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(text); button.textContent = "Copied"; }
    catch { button.textContent = "Copy failed"; }
    setTimeout(() => { button.textContent = "Copy citation"; }, 2000);
  });
  return button;
}

function renderHit(hit) {
  const li = el("li", { class: "hit" });
  const cite = el("a", { href: localPage(hit.uri), class: "citation" }, hit.citation || hit.uri);
  const meta = el("span", { class: "score" }, hit.date ? `${hit.date} · score ${hit.score}` : `score ${hit.score}`);
  li.append(el("div", { class: "cite-line" }, cite, meta));
  li.append(highlighted(hit.text || "", hit.highlight || ""));
  const tags = el("div", { class: "tags" });
  for (const c of hit.countries || []) tags.append(el("a", { class: "tag", href: "/id/country/" + c }, c));
  for (const r of hit.risk_factors || []) tags.append(el("span", { class: "tag" }, "risk factor " + r));
  if (tags.childNodes.length) li.append(tags);
  for (const note of hit.notes || []) {
    li.append(el("p", { class: "note" }, typeof note === "string" ? note : (note.text || JSON.stringify(note))));
  }
  const like = el("button", { type: "button", class: "more-like", "aria-label": "More like " + (hit.citation || hit.uri) }, "More like this");
  like.addEventListener("click", () => moreLike(hit));
  const actions = el("div", { class: "actions" }, copyButton(hit.citation || hit.uri), like);
  if (hit.uri.startsWith(BASE + "doc/")) actions.append(el("a", { href: documentPage(hit.uri) }, "in its document"));
  li.append(actions);
  return li;
}

const FACET_TITLES = { country: "Country", region: "Region", year: "Year", doc_type: "Document type",
                       risk_factor: "Risk factor", crime: "Crime", speaker: "Speaking State or group" };
const FACET_FIELDS = { doc_type: "type" };  // the form field a facet sets, where its name differs

function renderFacets(facets) {
  // Each value with its count; a click sets that filter in the form and searches again.
  const aside = $("facets");
  aside.replaceChildren(el("h2", { class: "visually-hidden" }, "Narrow by"));
  for (const [key, facet] of Object.entries(facets)) {
    if (!facet.values.length) continue;
    const list = el("ul");
    for (const v of facet.values) {
      const button = el("button", { type: "button", class: "facet-value" }, v.label, " ", el("span", { class: "count" }, String(v.count)));
      button.setAttribute("aria-label", `${FACET_TITLES[key] || key} ${v.label}: ${v.count}`);
      button.addEventListener("click", () => {
        const field = $("search-form").elements[FACET_FIELDS[key] || key];
        if (field) { field.value = String(v.value); $("filters").open = true; $("search-form").requestSubmit(); }
      });
      list.append(el("li", {}, button));
    }
    aside.append(el("div", { class: "facet" }, el("h3", {}, FACET_TITLES[key] || key), list));
  }
  aside.hidden = aside.childNodes.length <= 1;
}

async function moreLike(hit) {
  // The passages closest in meaning to this one (its own vector as the query).
  const status = $("search-status");
  const list = $("results");
  status.textContent = "Searching…";
  const response = await fetch("/search/similar?" + new URLSearchParams({ uri: hit.uri, k: $("search-form").elements.k.value || "10" }));
  if (!response.ok) { status.textContent = "Error: " + await errorText(response); return; }
  const data = await response.json();
  list.replaceChildren(...data.hits.map(renderHit));
  $("facets").hidden = true;
  status.textContent = `${data.hits.length} paragraphs like ${hit.citation || hit.uri}`;
  status.focus?.();
}

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(event.target)) if (String(v).trim()) params.set(k, String(v).trim());
  const status = $("search-status");
  const list = $("results");
  list.replaceChildren();
  $("facets").hidden = true;
  status.textContent = "Searching…";
  const response = await fetch("/search?" + params);
  if (!response.ok) { status.textContent = "Error: " + await errorText(response); return; }
  const data = await response.json();
  status.textContent = (data.hits.length ? `${data.hits.length} paragraphs` : "No paragraph matches.")
    + (data.notices || []).map((notice) => `. ${notice}`).join("");
  for (const hit of data.hits) list.append(renderHit(hit));
  renderFacets(data.facets || {});
});

async function loadDocuments() {
  const response = await fetch("/documents");
  if (!response.ok) return;
  const select = $("document-filter");
  for (const doc of (await response.json()).documents) {
    select.append(el("option", { value: doc.id }, doc.symbol ? `${doc.symbol} — ${doc.title}` : doc.title));
  }
}

// -- SPARQL ----------------------------------------------------------------------------------------
let exampleQueries = [];

async function loadExamples() {
  const response = await fetch("/queries");
  if (!response.ok) return;
  exampleQueries = (await response.json()).queries;
  for (const q of exampleQueries) $("examples").append(el("option", { value: q.name }, q.title));
}

$("examples").addEventListener("change", (event) => {
  const q = exampleQueries.find((x) => x.name === event.target.value);
  if (!q) return;
  $("query").value = q.query;
  $("example-description").textContent = q.description;
});

function cell(term) {
  if (!term) return el("td");
  if (term.type === "uri") return el("td", {}, el("a", { href: localPage(term.value) }, term.value));
  return el("td", {}, term.value);
}

async function runQuery() {
  const status = $("sparql-status");
  const table = $("sparql-results");
  const graph = $("sparql-graph");
  table.replaceChildren();
  graph.hidden = true;
  status.textContent = "Running…";
  const response = await fetch("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
    body: $("query").value,
  });
  if (!response.ok) { status.textContent = "Error: " + await errorText(response); return; }
  const truncated = response.headers.get("X-Result-Truncated") === "true"
    ? ` (truncated at ${response.headers.get("X-Result-Limit")})` : "";
  if (!response.headers.get("Content-Type").startsWith("application/sparql-results+json")) {
    graph.textContent = await response.text();
    graph.hidden = false;
    status.textContent = `${response.headers.get("X-Result-Count")} triples${truncated}`;
    return;
  }
  const data = await response.json();
  if ("boolean" in data) { status.textContent = "Answer: " + data.boolean; return; }
  const vars = data.head.vars;
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
  const body = el("tbody");
  for (const row of data.results.bindings) body.append(el("tr", {}, ...vars.map((v) => cell(row[v]))));
  table.append(body);
  status.textContent = `${data.results.bindings.length} rows${truncated}`;
}
$("run").addEventListener("click", runQuery);
$("query").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runQuery();
});

loadDocuments();
loadExamples();
