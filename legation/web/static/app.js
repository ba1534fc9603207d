/* Legation web page: vanilla JS over the /api routes.
 *
 * Every piece of data reaches the page through textContent or attribute setters:
 * nothing from the store or from the user is ever parsed as HTML.
 */
"use strict";

(function () {
  const QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
  const QUAD_COLORS = { 1: "#2a9d8f", 2: "#1d6fb8", 3: "#e9a03b", 4: "#c4382b" };
  const STATE_COLORS = { active: "#2a9d8f", broken: "#c4382b", suspended: "#e9a03b", lifted: "#6a8caf", unknown: "#b8b8b8" };
  const $ = (sel) => document.querySelector(sel);

  // ---- DOM helpers: text only ---------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children) append(node, child);
    return node;
  }
  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach((c) => append(node, c)); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function text(value) { return value === null || value === undefined ? "" : String(value); }
  function codes(list) { return Array.isArray(list) && list.length ? list.join(", ") : "—"; }

  async function api(path, params) {
    const query = params ? "?" + new URLSearchParams(params).toString() : "";
    const response = await fetch(path + query, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : response.statusText;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }
  function formParams(form) {
    const params = {};
    for (const [key, value] of new FormData(form).entries()) {
      if (String(value).trim() !== "") params[key] = String(value).trim();
    }
    return params;
  }
  function setStatus(node, message, isError) {
    node.textContent = message || "";
    node.classList.toggle("error", Boolean(isError));
  }

  // ---- routing: #/events, #/articles/<id>, #/timeline?a=..&b=.., #/network -------------------
  function route() {
    const hash = location.hash.replace(/^#\/?/, "");
    const [pathPart, queryPart] = hash.split("?");
    const parts = pathPart.split("/").filter(Boolean).map(decodeURIComponent);
    const view = ["events", "articles", "timeline", "network"].includes(parts[0]) ? parts[0] : "events";
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
    document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.view === view));
    const query = new URLSearchParams(queryPart || "");
    if (view === "events") showEvents();
    if (view === "articles") showArticles(parts[1], query.get("event"));
    if (view === "timeline") showTimeline(query);
    if (view === "network") showNetwork();
  }

  // ---- header ----------------------------------------------------------------------------------
  async function loadInfo() {
    try {
      const info = await api("/api/health");
      const c = info.counts || {};
      $("#store-info").textContent = `${c.documents_ok || 0} documents · ${c.events || 0} events · ` +
        `${c.quotes || 0} quotes · ${info.writes ? "writes enabled" : "read-only"}`;
    } catch (e) { $("#store-info").textContent = "store unavailable: " + e.message; }
  }
  async function loadCodebook() {
    try {
      const book = await api("/api/codebook");
      const list = $("#event-types");
      for (const t of book.types || []) list.appendChild(el("option", { value: t.type }));
    } catch (e) { /* the codebook is optional */ }
  }

  // ---- events ----------------------------------------------------------------------------------
  const events = { params: null, cursor: null, loaded: false };

  function showEvents() { if (!events.loaded) loadEvents(false); }

  async function loadEvents(more) {
    const status = $("#events-status");
    const body = $("#events-table tbody");
    if (!more) {
      events.params = formParams($("#event-filters"));
      events.cursor = null;
      clear(body);
      const csvParams = new URLSearchParams(Object.assign({}, events.params, { limit: "500" }));
      $("#events-csv").setAttribute("href", "/api/events.csv?" + csvParams.toString());
    }
    events.loaded = true;
    setStatus(status, "Loading…");
    const params = Object.assign({}, events.params, { limit: "50" });
    if (more && events.cursor) params.cursor = events.cursor;
    try {
      const page = await api("/api/events", params);
      for (const e of page.items) body.appendChild(eventRow(e));
      events.cursor = page.next_cursor;
      $("#events-more").hidden = !page.next_cursor;
      const shown = body.rows.length;
      setStatus(status, shown ? `${shown} event${shown === 1 ? "" : "s"} shown${page.next_cursor ? " (more available)" : ""}`
        : "No events match these filters.");
    } catch (e) {
      setStatus(status, "Error: " + e.message, true);
    }
  }

  function eventRow(e) {
    const quad = e.quad_class ? `${e.quad_class}` : "";
    const docLink = el("a", { href: `#/articles/${encodeURIComponent(e.doc_id)}?event=${encodeURIComponent(e.id)}` },
      text(e.doc_title || e.doc_id));
    return el("tr", { dataset: { id: e.id, type: text(e.type) } },
      el("td", {}, text(e.date_value)),
      el("td", { class: "type" }, text(e.type)),
      el("td", { class: "quad q" + quad, title: QUADS[e.quad_class] || "" }, quad),
      el("td", {}, codes(e.source_codes)),
      el("td", {}, codes(e.target_codes)),
      el("td", {}, text(e.modality)),
      el("td", { class: "evidence" }, text(e.evidence_text)),
      el("td", {}, docLink));
  }

  // ---- articles --------------------------------------------------------------------------------
  const docs = { cursor: null, q: null, loaded: false, current: null };

  function showArticles(docId, eventId) {
    if (!docs.loaded) loadDocs(false);
    if (docId && docId !== docs.current) loadArticle(docId, eventId);
    else if (docId && eventId) focusEvent(eventId);
  }

  async function loadDocs(more) {
    const list = $("#doc-list");
    if (!more) { docs.cursor = null; clear(list); }
    docs.loaded = true;
    const params = { limit: "100", status: "ok" };
    if (docs.q) params.q = docs.q;
    if (more && docs.cursor) params.cursor = docs.cursor;
    try {
      const page = await api("/api/documents", params);
      for (const d of page.items) {
        list.appendChild(el("li", {},
          el("a", { href: "#/articles/" + encodeURIComponent(d.id), dataset: { id: d.id } }, text(d.title || d.source_id || d.id)),
          el("span", { class: "muted" }, ` ${text(d.published)} · ${text(d.publisher)} · ${d.events} ev, ${d.quotes} q`)));
      }
      docs.cursor = page.next_cursor;
      $("#docs-more").hidden = !page.next_cursor;
      if (!list.children.length) list.appendChild(el("li", { class: "muted" }, "No documents."));
    } catch (e) {
      list.appendChild(el("li", { class: "error" }, "Error: " + e.message));
    }
  }

  async function loadArticle(docId, eventId) {
    docs.current = docId;
    const textNode = $("#article-text");
    clear(textNode);
    $("#article-empty").hidden = true;
    let data;
    try {
      data = await api("/api/documents/" + encodeURIComponent(docId));
    } catch (e) {
      $("#article-title").textContent = "";
      $("#article-meta").textContent = "";
      $("#article-empty").hidden = false;
      $("#article-empty").textContent = "Error: " + e.message;
      return;
    }
    const d = data.document;
    $("#article-title").textContent = d.title || d.source_id || d.id;
    const meta = [d.publisher, d.published, d.url, "id " + d.id].filter(Boolean).join(" · ");
    $("#article-meta").textContent = meta;
    $("#legend").hidden = false;
    renderArticle(textNode, d.text || "", annotations(data));
    renderArticleLists(data);
    document.querySelectorAll("#doc-list a").forEach((a) => a.classList.toggle("active", a.dataset.id === d.id));
    if (eventId) focusEvent(eventId);
  }

  function annotations(data) {
    const out = [];
    for (const e of data.events || []) {
      if (e.evidence_start === null || e.evidence_end === null || e.evidence_start === undefined) continue;
      out.push({ layer: "event", start: e.evidence_start, end: e.evidence_end, id: "event:" + e.id, data: e });
    }
    for (const q of data.quotes || []) {
      out.push({ layer: "quote", start: q.start, end: q.end, id: "quote:" + q.idx, data: q });
      if (q.speaker_start !== null && q.speaker_end !== null && q.speaker_start !== undefined) {
        out.push({ layer: "speaker", start: q.speaker_start, end: q.speaker_end, id: "speaker:" + q.idx, data: q });
      }
    }
    for (const a of data.actors || []) out.push({ layer: "actor", start: a.start, end: a.end, id: "actor:" + a.idx, data: a });
    for (const t of data.times || []) out.push({ layer: "time", start: t.start, end: t.end, id: "time:" + t.id, data: t });
    return out.filter((a) => Number.isInteger(a.start) && Number.isInteger(a.end) && a.end > a.start);
  }

  // Offsets count code points (Python str indices); split the text into segments at every
  // span boundary and wrap each covered segment in one <span> carrying every layer over it.
  function renderArticle(container, fullText, anns) {
    const chars = Array.from(fullText);
    const n = chars.length;
    const cuts = new Set([0, n]);
    for (const a of anns) { cuts.add(Math.max(0, Math.min(n, a.start))); cuts.add(Math.max(0, Math.min(n, a.end))); }
    const bounds = Array.from(cuts).sort((x, y) => x - y);
    const byId = new Map(anns.map((a) => [a.id, a]));
    container._annotations = byId;
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < bounds.length - 1; i++) {
      const from = bounds[i], to = bounds[i + 1];
      const piece = chars.slice(from, to).join("");
      const covering = anns.filter((a) => a.start <= from && a.end >= to);
      if (!covering.length) { fragment.appendChild(document.createTextNode(piece)); continue; }
      const layers = Array.from(new Set(covering.map((a) => a.layer)));
      const span = el("span", { class: "hl " + layers.map((l) => "hl-" + l).join(" "), tabindex: "0" }, piece);
      span.dataset.ann = covering.map((a) => a.id).join("|");
      for (const a of covering) if (a.layer === "event") span.dataset.event = a.data.id;
      fragment.appendChild(span);
    }
    container.appendChild(fragment);
  }

  function describe(a) {
    const d = a.data;
    if (a.layer === "event") {
      return [
        el("strong", {}, `Event ${text(d.type)}${d.mode ? " / " + d.mode : ""}`),
        el("div", {}, `CAMEO ${text(d.cameo)} · quad class ${text(d.quad_class)} (${QUADS[d.quad_class] || "?"}) · Goldstein ${text(d.goldstein)}`),
        el("div", {}, `${codes(d.source_codes)} → ${codes(d.target_codes)}`),
        el("div", {}, `modality ${text(d.modality) || "—"} · date ${text(d.date_value) || "—"}${d.date_text ? " (“" + d.date_text + "”)" : ""}`),
        d.attributed_to ? el("div", {}, "according to " + attribution(d.attributed_to)) : null,
      ];
    }
    if (a.layer === "quote" || a.layer === "speaker") {
      const speaker = d.speaker_name || d.speaker_description || d.speaker_text || (d.anonymous ? "anonymous source" : "unknown speaker");
      return [
        el("strong", {}, `${d.direct ? "Direct" : "Indirect"} quote`),
        el("div", {}, `speaker: ${speaker}${d.speaker_code ? " (" + d.speaker_code + ")" : ""}`),
        d.anonymous ? el("div", {}, "anonymous" + (d.anonymity_reason ? ": " + d.anonymity_reason : "")) : null,
        d.cue ? el("div", {}, "cue: " + d.cue) : null,
      ];
    }
    if (a.layer === "actor") {
      return [
        el("strong", {}, `Actor ${text(d.code) || "(unresolved)"}`),
        el("div", {}, [d.name, d.sector, d.kind, d.role].filter(Boolean).join(" · ")),
        d.resolution ? el("div", { class: "muted" }, d.resolution) : null,
      ];
    }
    return [
      el("strong", {}, `Time ${text(d.type)}`),
      el("div", {}, `value ${text(d.value) || "unresolved"}${d.mod ? " (" + d.mod + ")" : ""}`),
      el("div", { class: "muted" }, `${text(d.resolution)}${d.anchor ? ", anchored on " + d.anchor : ""}`),
    ];
  }
  function attribution(value) {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return value.map(attribution).join(", ");
    if (value && typeof value === "object") return value.name || value.text || value.code || JSON.stringify(value);
    return text(value);
  }
  function describeSpan(span) {
    const map = $("#article-text")._annotations || new Map();
    const order = { time: 0, actor: 1, speaker: 2, quote: 3, event: 4 };
    const anns = (span.dataset.ann || "").split("|").map((id) => map.get(id)).filter(Boolean)
      .sort((x, y) => order[x.layer] - order[y.layer]);
    return anns.map((a) => el("div", { class: "ann ann-" + a.layer }, describe(a)));
  }

  function renderArticleLists(data) {
    const evList = $("#article-events");
    clear(evList);
    for (const e of data.events || []) {
      evList.appendChild(el("li", {},
        el("a", { href: "#", dataset: { event: e.id }, onclick: (ev) => { ev.preventDefault(); focusEvent(e.id); } },
          `${text(e.type)} ${codes(e.source_codes)} → ${codes(e.target_codes)}`),
        el("span", { class: "muted" }, ` ${text(e.date_value)} · ${text(e.modality)}`)));
    }
    if (!evList.children.length) evList.appendChild(el("li", { class: "muted" }, "none"));
    const qList = $("#article-quotes");
    clear(qList);
    for (const q of data.quotes || []) {
      const speaker = q.speaker_name || q.speaker_description || q.speaker_text || "unknown";
      qList.appendChild(el("li", {}, el("q", {}, text(q.content)), el("span", { class: "muted" }, " — " + speaker)));
    }
    if (!qList.children.length) qList.appendChild(el("li", { class: "muted" }, "none"));
    clear($("#detail-body"));
  }

  function focusEvent(eventId) {
    document.querySelectorAll("#article-text .focus").forEach((s) => s.classList.remove("focus"));
    const spans = Array.from(document.querySelectorAll("#article-text span[data-event]"))
      .filter((s) => s.dataset.event === eventId);
    spans.forEach((s) => s.classList.add("focus"));
    if (spans.length) {
      spans[0].scrollIntoView({ block: "center" });
      const detail = $("#detail-body");
      clear(detail);
      append(detail, describeSpan(spans[0]).filter((d) => d.classList.contains("ann-event")));
    }
  }

  function setupArticleEvents() {
    const container = $("#article-text");
    const tooltip = $("#tooltip");
    container.addEventListener("mouseover", (ev) => {
      const span = ev.target.closest(".hl");
      if (!span) return;
      clear(tooltip);
      append(tooltip, describeSpan(span));
      tooltip.hidden = false;
      const rect = span.getBoundingClientRect();
      tooltip.style.left = Math.min(window.innerWidth - 340, Math.max(8, rect.left)) + "px";
      tooltip.style.top = (window.scrollY + rect.bottom + 6) + "px";
    });
    container.addEventListener("mouseout", (ev) => {
      if (!ev.relatedTarget || !ev.relatedTarget.closest || !ev.relatedTarget.closest(".hl")) tooltip.hidden = true;
    });
    const pin = (ev) => {
      const span = ev.target.closest(".hl");
      if (!span) return;
      const detail = $("#detail-body");
      clear(detail);
      append(detail, describeSpan(span));
    };
    container.addEventListener("click", pin);
    container.addEventListener("keydown", (ev) => { if (ev.key === "Enter") pin(ev); });
    document.querySelectorAll("#legend input[data-layer]").forEach((box) => {
      box.addEventListener("change", () => container.classList.toggle("hide-" + box.dataset.layer, !box.checked));
    });
  }

  // ---- timeline --------------------------------------------------------------------------------
  let pairsLoaded = false;

  async function showTimeline(query) {
    if (!pairsLoaded) loadPairs();
    if (query.get("a") && query.get("b")) {
      $("#t-a").value = query.get("a");
      $("#t-b").value = query.get("b");
      if (query.get("kind")) $("#t-kind").value = query.get("kind");
      $("#t-as-of").value = query.get("as_of") || "";
      drawTimeline();
    }
  }

  async function loadPairs() {
    pairsLoaded = true;
    const box = $("#timeline-pairs");
    clear(box);
    try {
      const data = await api("/api/timeline/pairs");
      if (!data.items.length) { box.appendChild(el("span", { class: "muted" }, "No relation changes in this store yet.")); return; }
      box.appendChild(el("span", { class: "muted" }, "Pairs with changes: "));
      for (const p of data.items.slice(0, 40)) {
        const params = new URLSearchParams({ a: p.a, b: p.b, kind: p.kind });
        box.appendChild(el("a", { class: "chip", href: "#/timeline?" + params.toString() },
          `${p.a}–${p.b} (${p.kind}, ${p.changes})`));
      }
    } catch (e) { box.appendChild(el("span", { class: "error" }, "Error: " + e.message)); }
  }

  function toDate(value) {
    if (!value) return null;
    const v = String(value);
    if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
    if (/^\d{4}-\d{2}$/.test(v)) return v + "-01";
    if (/^\d{4}$/.test(v)) return v + "-01-01";
    return null;
  }
  function addYears(date, years) {
    const d = new Date(date + "T00:00:00Z");
    d.setUTCFullYear(d.getUTCFullYear() + years);
    return d.toISOString().slice(0, 10);
  }

  async function drawTimeline() {
    const params = formParams($("#timeline-form"));
    const status = $("#timeline-status");
    const empty = $("#timeline-empty");
    const chart = $("#timeline-chart");
    const list = $("#timeline-changes");
    clear(list);
    empty.hidden = true;
    setStatus(status, "Loading…");
    let data;
    try {
      data = await api("/api/timeline", params);
    } catch (e) {
      setStatus(status, "Error: " + e.message, true);
      purge(chart);
      return;
    }
    const pair = (data.pair || [params.a, params.b]).join("–");
    setStatus(status, `${pair} (${data.kind}): ${data.changes.length} change${data.changes.length === 1 ? "" : "s"}` +
      `; state${data.as_of ? " as of " + data.as_of : " now"}: ${data.state_as_of}`);
    if (!data.changes.length) {
      empty.textContent = `No relation changes recorded for ${pair} (${data.kind}).`;
      empty.hidden = false;
      purge(chart);
      return;
    }
    for (const c of data.changes) {
      const sources = (c.sources || []).map((s) => [s.publisher, s.published].filter(Boolean).join(" ") || s.doc_id);
      list.appendChild(el("li", {},
        el("strong", {}, `${text(c.date) || "undated"} ${text(c.change)}`),
        ` by ${text(c.by) || "?"} · ${text(c.num_documents)} document(s)`,
        sources.length ? el("span", { class: "muted" }, " · " + sources.join("; ")) : null));
    }
    if (!window.Plotly) { setStatus(status, status.textContent + " (charts unavailable: plotly.js not loaded)"); return; }
    const dated = data.changes.filter((c) => toDate(c.date));
    const dates = dated.map((c) => toDate(c.date));
    const first = dates.length ? dates[0] : "2000-01-01";
    const last = dates.length ? dates[dates.length - 1] : "2000-01-01";
    const end = toDate(data.as_of) || (new Date().toISOString().slice(0, 10) > last ? new Date().toISOString().slice(0, 10) : addYears(last, 2));
    const traces = [];
    const seen = new Set();
    for (const s of data.states || []) {
      const from = toDate(s.from) || addYears(first, -3);
      const to = toDate(s.to) || end;
      traces.push({
        x: [from, to], y: ["relation", "relation"], mode: "lines", type: "scatter",
        line: { color: STATE_COLORS[s.state] || "#888", width: 22 }, name: s.state,
        legendgroup: s.state, showlegend: !seen.has(s.state),
        hovertemplate: `${s.state}: ${text(s.from) || "…"} to ${text(s.to) || "…"}<extra></extra>`,
      });
      seen.add(s.state);
    }
    traces.push({
      x: dates, y: dated.map(() => "changes"), mode: "markers+text", type: "scatter", name: "changes",
      text: dated.map((c) => text(c.change)), textposition: "top center",
      marker: { size: 12, color: dated.map((c) => (["break", "suspend", "expel", "recall", "downgrade"].includes(c.change) ? "#c4382b" : "#2a9d8f")) },
      customdata: dated.map((c) => [text(c.date), text(c.change), text(c.by), text(c.num_documents)]),
      hovertemplate: "%{customdata[0]}: %{customdata[1]} by %{customdata[2]} (%{customdata[3]} documents)<extra></extra>",
    });
    window.Plotly.newPlot(chart, traces, {
      margin: { l: 80, r: 20, t: 30, b: 40 }, height: 260, hovermode: "closest",
      xaxis: { type: "date" },
      yaxis: { type: "category", categoryorder: "array", categoryarray: ["relation", "changes"], range: [-0.6, 1.7] },
      font: { family: "system-ui, sans-serif", size: 12 }, legend: { orientation: "h", y: 1.15 },
    }, { displaylogo: false, responsive: true });
  }
  function purge(chart) { if (window.Plotly) window.Plotly.purge(chart); clear(chart); }

  // ---- network ---------------------------------------------------------------------------------
  let networkDrawn = false;
  function showNetwork() { if (!networkDrawn) drawNetwork(); }

  async function drawNetwork() {
    networkDrawn = true;
    const status = $("#network-status");
    const chart = $("#network-chart");
    const body = $("#network-edges tbody");
    clear(body);
    setStatus(status, "Loading…");
    let data;
    try {
      data = await api("/api/network", Object.assign(formParams($("#network-form")), { limit: "200" }));
    } catch (e) { setStatus(status, "Error: " + e.message, true); return; }
    setStatus(status, data.edges.length ? `${data.nodes.length} actors, ${data.edges.length} edges` : "No events with both a source and a target match.");
    for (const e of data.edges.slice(0, 100)) {
      body.appendChild(el("tr", {}, el("td", {}, e.source), el("td", {}, e.target),
        el("td", { class: "quad q" + text(e.quad_class) }, `${text(e.quad_class)} ${QUADS[e.quad_class] || ""}`),
        el("td", {}, text(e.weight)), el("td", {}, text(e.goldstein))));
    }
    if (!window.Plotly) { setStatus(status, status.textContent + " (charts unavailable: plotly.js not loaded)"); return; }
    if (!data.edges.length) { purge(chart); return; }
    const n = data.nodes.length;
    const pos = new Map(data.nodes.map((node, i) => [node.code, [Math.cos((2 * Math.PI * i) / n), Math.sin((2 * Math.PI * i) / n)]]));
    const traces = [];
    const maxWeight = Math.max(...data.edges.map((e) => e.weight));
    for (const quad of [1, 2, 3, 4, null]) {
      const edges = data.edges.filter((e) => (e.quad_class === undefined ? null : e.quad_class) === quad);
      if (!edges.length) continue;
      const x = [], y = [], mx = [], my = [], labels = [];
      for (const e of edges) {
        const [x0, y0] = pos.get(e.source), [x1, y1] = pos.get(e.target);
        x.push(x0, x1, null); y.push(y0, y1, null);
        mx.push(x0 + (x1 - x0) * 0.6); my.push(y0 + (y1 - y0) * 0.6);
        labels.push(`${e.source} → ${e.target}: ${e.weight} event(s)`);
      }
      const color = QUAD_COLORS[quad] || "#888";
      const name = quad ? `${quad} ${QUADS[quad]}` : "no quad class";
      traces.push({ x, y, mode: "lines", type: "scatter", line: { color, width: 1.5 }, opacity: 0.6, hoverinfo: "skip", name, legendgroup: name });
      traces.push({ x: mx, y: my, mode: "markers", type: "scatter", text: labels, hoverinfo: "text", showlegend: false, legendgroup: name,
        marker: { color, size: edges.map((e) => 5 + (10 * e.weight) / maxWeight), symbol: "triangle-up" } });
    }
    traces.push({
      x: data.nodes.map((node) => pos.get(node.code)[0]), y: data.nodes.map((node) => pos.get(node.code)[1]),
      mode: "markers+text", type: "scatter", name: "actors", text: data.nodes.map((node) => node.code), textposition: "top center",
      marker: { size: data.nodes.map((node) => 10 + Math.min(30, node.weight)), color: "#334", opacity: 0.85 },
      customdata: data.nodes.map((node) => [node.code, node.out, node.in]),
      hovertemplate: "%{customdata[0]}: %{customdata[1]} out, %{customdata[2]} in<extra></extra>",
    });
    window.Plotly.newPlot(chart, traces, {
      margin: { l: 10, r: 10, t: 30, b: 10 }, height: 560, hovermode: "closest", showlegend: true,
      xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" },
      font: { family: "system-ui, sans-serif", size: 12 }, legend: { orientation: "h" },
    }, { displaylogo: false, responsive: true });
  }

  // ---- wiring ----------------------------------------------------------------------------------
  function init() {
    $("#event-filters").addEventListener("submit", (ev) => { ev.preventDefault(); loadEvents(false); });
    $("#event-filters").addEventListener("reset", () => setTimeout(() => loadEvents(false), 0));
    $("#events-more").addEventListener("click", () => loadEvents(true));
    $("#doc-search").addEventListener("submit", (ev) => { ev.preventDefault(); docs.q = $("#doc-q").value.trim() || null; loadDocs(false); });
    $("#docs-more").addEventListener("click", () => loadDocs(true));
    $("#timeline-form").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const params = new URLSearchParams(formParams($("#timeline-form")));
      const target = "#/timeline?" + params.toString();
      if (location.hash === target) drawTimeline(); else location.hash = target;
    });
    $("#network-form").addEventListener("submit", (ev) => { ev.preventDefault(); drawNetwork(); });
    setupArticleEvents();
    window.addEventListener("hashchange", route);
    loadInfo();
    loadCodebook();
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
