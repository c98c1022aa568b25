// The SPARQL editor page: YASGUI (served from this service) over /sparql.
// Completion uses this page's own prefixes and ontology terms: no request to prefix.cc or LOV (the CSP forbids it anyway).
"use strict";

const config = JSON.parse(document.getElementById("editor-config").textContent);
const Yasqe = Yasgui.Yasqe;
const prefixLines = Object.entries(config.prefixes).filter(([p]) => ["r2p", "dcterms", "skos", "prov", "rdfs"].includes(p))
  .map(([p, ns]) => `PREFIX ${p}: <${ns}>`).join("\n");

Yasqe.forkAutocompleter("prefixes", {
  name: "r2p-prefixes", persistenceId: null,
  get: () => Object.entries(config.prefixes).map(([p, ns]) => `${p}: <${ns}>`).sort(),
});
Yasqe.forkAutocompleter("class", { name: "r2p-classes", bulk: true, persistenceId: null, get: () => config.classes });
Yasqe.forkAutocompleter("property", { name: "r2p-properties", bulk: true, persistenceId: null, get: () => config.properties });
Yasqe.defaults.autocompleters = ["r2p-prefixes", "r2p-classes", "r2p-properties", "variables"];
Yasqe.defaults.value = `${prefixLines}\n\nSELECT ?doc ?title WHERE {\n  ?doc a r2p:Document ; dcterms:title ?title .\n} LIMIT 20`;

const yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: { endpoint: new URL(config.endpoint, location.href).href, method: "POST" },
  copyEndpointOnNewTab: true,
  endpointCatalogueOptions: { getData: () => [{ endpoint: new URL(config.endpoint, location.href).href }] },
});

const picker = document.getElementById("editor-examples");
for (const q of config.queries) {
  const option = document.createElement("option");
  option.value = q.name;
  option.textContent = q.title;
  picker.append(option);
}
picker.addEventListener("change", () => {
  const q = config.queries.find((x) => x.name === picker.value);
  if (q) yasgui.getTab().getYasqe().setValue(`${prefixLines}\n\n${q.query}`);
});
