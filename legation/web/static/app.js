/* Legation web page: vanilla JS over the /api routes.
 *
 * Every view's state lives in the URL hash (#/view/path?filters), as datasette keeps it in the
 * query string: a form submit or a click writes the hash, and the router draws the view from
 * the hash alone. So reload, back and forward, and a copied link all give the same view.
 *
 * Every piece of data reaches the page through textContent or attribute setters:
 * nothing from the store or from the user is ever parsed as HTML.
 */
"use strict";

(function () {
  const QUADS = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
  const QUAD_COLORS = { 1: "#2a9d8f", 2: "#1d6fb8", 3: "#e9a03b", 4: "#c4382b" };
  const STATE_COLORS = { active: "#2a9d8f", broken: "#c4382b", suspended: "#e9a03b", lifted: "#6a8caf", unknown: "#b8b8b8" };
  const VIEWS = ["events", "articles", "quotes", "actors", "overview", "timeline", "network"];
  const EVENT_PARAMS = ["actor", "source", "target", "pair", "type", "quad_class", "modality", "date_from", "date_to", "q", "doc",
    "sort"];
  const PAGE = 50;
  const $ = (sel) => document.querySelector(sel);
  const phone = () => window.matchMedia("(max-width: 700px)").matches;
  const oneColumn = () => window.matchMedia("(max-width: 1100px)").matches;  // articles: details in a sheet

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
  function plural(n, word) { return `${n} ${word}${n === 1 ? "" : "s"}`; }

  async function api(path, params) {
    const clean = {};
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && String(v) !== "") clean[k] = v;
    const query = Object.keys(clean).length ? "?" + new URLSearchParams(clean).toString() : "";
    const response = await fetch(path + query, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      let message = response.statusText;
      if (body && body.error) message = body.error.message || message;
      else if (body && body.detail) message = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : text(body.detail);
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }
  function setStatus(node, message, isError) {
    node.textContent = message || "";
    node.classList.toggle("error", Boolean(isError));
  }

  // ---- URL state ------------------------------------------------------------------------------
  function parseHash() {
    const hash = location.hash.replace(/^#\/?/, "");
    const cut = hash.indexOf("?");
    const pathPart = cut >= 0 ? hash.slice(0, cut) : hash;
    const query = new URLSearchParams(cut >= 0 ? hash.slice(cut + 1) : "");
    const parts = pathPart.split("/").filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch (e) { return p; } });
    const view = VIEWS.includes(parts[0]) ? parts[0] : "events";
    return { view, parts, query };
  }
  function hashFor(view, path, params) {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && String(v).trim() !== "") search.set(k, String(v).trim());
    const qs = search.toString();
    return "#/" + view + (path ? "/" + encodeURIComponent(path) : "") + (qs ? "?" + qs : "");
  }
  /** Show the state in ``hash``: a new history entry, or (replace) this entry rewritten. */
  function go(hash, replace) {
    if (replace) { history.replaceState(null, "", hash); route(); return; }
    if (location.hash === hash) route(); else location.hash = hash;
  }
  function pick(query, names) {
    const out = {};
    for (const n of names) { const v = query.get(n); if (v !== null && v.trim() !== "") out[n] = v.trim(); }
    return out;
  }
  function key(obj) { return JSON.stringify(Object.keys(obj).sort().map((k) => [k, obj[k]])); }
  function formValues(form) {
    const out = {};
    for (const [k, v] of new FormData(form).entries()) if (String(v).trim() !== "") out[k] = String(v).trim();
    return out;
  }
  function fillForm(form, query, defaults) {
    let set = 0;
    for (const field of form.elements) {
      if (!field.name) continue;
      const value = query.get(field.name);
      field.value = value !== null ? value : ((defaults || {})[field.name] || "");
      if (value !== null && value !== "") set += 1;
    }
    // on a phone the filters fold away under one line that says how many are set
    const box = form.closest("details.filter-box");
    if (box) box.querySelector("summary").textContent = set ? `Filters (${set} set)` : "Filters";
  }

  function route() {
    const { view, parts, query } = parseHash();
    document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
    document.querySelectorAll("nav a").forEach((a) => {
      a.classList.toggle("active", a.dataset.view === view);
      if (a.dataset.view === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    if (view !== "articles") closeSheet();
    ({ events: showEvents, articles: showArticles, quotes: showQuotes, actors: showActors, overview: showOverview,
      timeline: showTimeline, network: showNetwork })[view](parts, query);
  }

  // ---- lazy plotly -----------------------------------------------------------------------------
  let plotlyPromise = null;
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise((resolve) => {
        const script = el("script", { src: "/static/plotly.min.js" });
        script.onload = () => resolve(window.Plotly || null);
        script.onerror = () => { plotlyPromise = null; resolve(null); };
        document.head.appendChild(script);
      });
    }
    return plotlyPromise;
  }
  function purge(chart) { if (window.Plotly) window.Plotly.purge(chart); clear(chart); }

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

  // ---- shared pieces: actors, evidence with its trigger, places -----------------------------------
  function actorLinks(list, codes) {
    const items = Array.isArray(list) && list.length ? list : (codes || []).map((c) => ({ code: c }));
    const out = [];
    items.forEach((a, i) => {
      if (i) out.push(", ");
      const label = a.name && a.code && a.name.toUpperCase() !== a.code ? `${a.name} (${a.code})` : (a.name || a.code || a.text || "?");
      out.push(a.code ? el("a", { href: hashFor("actors", a.code), title: a.text ? `“${a.text}” in the text` : null }, label)
        : el("span", { class: "muted" }, label));
    });
    return out.length ? out : [el("span", { class: "muted" }, "—")];
  }
  /** Where the trigger sits in the evidence, in code points: [start, end] or null. */
  function triggerSpan(e) {
    const evidence = Array.from(text(e.evidence_text));
    if (Number.isInteger(e.trigger_start) && Number.isInteger(e.trigger_end) && Number.isInteger(e.evidence_start)) {
      const s = e.trigger_start - e.evidence_start, t = e.trigger_end - e.evidence_start;
      if (s >= 0 && t <= evidence.length && t > s) return [s, t];
    }
    const word = text(e.trigger_text || (e.trigger && e.trigger.text));
    if (!word) return null;
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`(^|[^\\p{L}\\p{N}])(${escaped})(?![\\p{L}\\p{N}])`, "u").exec(evidence.join(""));
    if (!match) return null;
    const before = Array.from(evidence.join("").slice(0, match.index + match[1].length)).length;
    return [before, before + Array.from(word).length];
  }
  function evidenceWithTrigger(e) {
    const chars = Array.from(text(e.evidence_text));
    const span = triggerSpan(e);
    if (!span) return [chars.join("")];
    return [chars.slice(0, span[0]).join(""), el("mark", { class: "trigger", title: "trigger" }, chars.slice(span[0], span[1]).join("")),
      chars.slice(span[1]).join("")];
  }
  function placeText(location) {
    if (!location || typeof location !== "object") return "";
    return [location.text, location.code && location.code !== location.text ? location.code : null].filter(Boolean).join(", ");
  }
  function casualties(e) {
    const parts = [];
    if (Number.isInteger(e.killed)) parts.push(`${e.killed} killed`);
    if (Number.isInteger(e.injured)) parts.push(`${e.injured} injured`);
    return parts.join(", ");
  }
  function quadChip(q) { return el("span", { class: "quad-chip qb" + text(q), title: QUADS[q] || "no quad class" }, q ? String(q) : "–"); }
  function eventLink(e, label) {
    return el("a", { href: hashFor("articles", e.doc_id, { hl: "event:" + e.id }) }, label);
  }
  /** An event as a card (actor view, map): type, pair, date, evidence with the trigger marked, link to it. */
  function eventCard(e) {
    return el("li", { dataset: { id: e.id } },
      el("div", {}, quadChip(e.quad_class), el("strong", {}, text(e.type)), " ",
        e.source_codes || e.source ? actorLinks(e.source, e.source_codes) : null,
        e.source_codes || e.source ? " → " : null,
        e.target_codes || e.target ? actorLinks(e.target, e.target_codes) : null),
      el("div", { class: "ev" }, evidenceWithTrigger(e)),
      el("div", { class: "meta" }, [text(e.date_value) || "undated", text(e.modality), placeText(e.location), casualties(e)]
        .filter(Boolean).join(" · "), " · ", eventLink(e, "evidence in the article →")));
  }

  // ---- events ----------------------------------------------------------------------------------
  const events = { key: null, params: null, cursor: null };

  /** Column headers sort the table (the API's ``sort``: a column, "-" first for descending); the
   *  order is in the URL like the filters. */
  function setupSortHeaders() {
    document.querySelectorAll("#events-table th[data-sort]").forEach((th) => {
      const label = th.textContent;
      clear(th);
      th.appendChild(el("button", { type: "button", class: "sort", onclick: () => {
        const { query } = parseHash();
        const current = query.get("sort") || "date";
        query.set("sort", current === th.dataset.sort ? "-" + th.dataset.sort : th.dataset.sort);
        if (query.get("sort") === "date") query.delete("sort");
        go("#/events?" + query.toString());
      } }, label, el("span", { class: "arrow", "aria-hidden": "true" }, "")));
    });
  }
  function showSortHeaders(sort) {
    const select = $("#f-sort");
    if (sort && !Array.from(select.options).some((o) => o.value === sort)) {
      select.appendChild(el("option", { value: sort }, sort.replace(/^-(.*)/, "$1, descending")));
      select.value = sort;
    }
    const column = (sort || "date").replace(/^-/, "");
    const descending = (sort || "").startsWith("-");
    document.querySelectorAll("#events-table th[data-sort]").forEach((th) => {
      const on = th.dataset.sort === column;
      th.setAttribute("aria-sort", on ? (descending ? "descending" : "ascending") : "none");
      th.querySelector(".arrow").textContent = on ? (descending ? " ▼" : " ▲") : "";
    });
  }

  function showEvents(parts, query) {
    const params = pick(query, EVENT_PARAMS);
    fillForm($("#event-filters"), query);
    showSortHeaders(params.sort);
    const k = key(params);
    if (k !== events.key) loadEvents(params, false);
  }

  async function loadEvents(params, more) {
    const status = $("#events-status");
    const body = $("#events-table tbody");
    if (!more) {
      events.key = key(params);
      events.params = params;
      events.cursor = null;
      clear(body);
      // the exports stream every matching event (no page size), in the table's filters
      const exportParams = Object.assign({}, params);
      delete exportParams.sort;
      const qs = new URLSearchParams(exportParams).toString();
      $("#events-csv").setAttribute("href", "/api/events.csv" + (qs ? "?" + qs : ""));
      $("#events-parquet").setAttribute("href", "/api/events.parquet" + (qs ? "?" + qs : ""));
    }
    const requested = events.key;
    setStatus(status, "Loading…");
    const query = Object.assign({}, events.params, { limit: String(PAGE) });
    if (more && events.cursor) query.cursor = events.cursor;
    try {
      const page = await api("/api/events", query);
      if (requested !== events.key) return;  // the filters changed while this page was on its way
      const fragment = document.createDocumentFragment();
      for (const e of page.items) fragment.appendChild(eventRow(e));
      body.appendChild(fragment);
      events.cursor = page.next_cursor;
      $("#events-more").hidden = !page.next_cursor;
      const shown = body.rows.length;
      const total = Number.isInteger(page.total) ? page.total : null;
      setStatus(status, shown ? `${shown}${total !== null ? " of " + total : ""} event${(total || shown) === 1 ? "" : "s"} shown` +
        `${page.next_cursor && total === null ? " (more available)" : ""}` : "No events match these filters.");
      if (!more && window.performance && performance.mark) {
        requestAnimationFrame(() => performance.mark("events-table-painted"));
      }
    } catch (e) {
      if (requested !== events.key) return;
      setStatus(status, "Error: " + e.message, true);
      events.key = null;
    }
  }

  function eventRow(e) {
    const where = [placeText(e.location)].filter(Boolean);
    const cas = casualties(e);
    return el("tr", { dataset: { id: e.id, type: text(e.type) } },
      el("td", { class: "date" }, text(e.date_value)),
      el("td", { class: "type" }, quadChip(e.quad_class), text(e.type)),
      el("td", { class: "actors-cell" }, actorLinks(e.source, e.source_codes), " → ", actorLinks(e.target, e.target_codes)),
      el("td", { class: "modality" }, text(e.modality)),
      el("td", { class: "evidence" }, evidenceWithTrigger(e)),
      el("td", { class: "where" }, where.length ? where.join("") : null, where.length && cas ? " · " : null,
        cas ? el("span", { class: "cas" }, cas) : null),
      el("td", { class: "doc" }, el("a", { href: hashFor("articles", e.doc_id, { hl: "event:" + e.id }), title: "the event in its article" },
        el("span", { class: "title" }, text(e.doc_title || e.doc_id)), el("span", { class: "arrow" }, " →"))));
  }

  // ---- articles --------------------------------------------------------------------------------
  const docs = { cursor: null, q: null, listKey: null, current: null, data: null, hl: null };

  function showArticles(parts, query) {
    const q = query.get("q") || "";
    $("#doc-q").value = q;
    if (docs.listKey !== q) { docs.q = q || null; docs.listKey = q; loadDocs(false); }
    const docId = parts[1] || null;
    // ?event=<id> is the older form of ?hl=event:<id>
    const hl = query.get("hl") || (query.get("event") ? "event:" + query.get("event") : null);
    if (docId && docId !== docs.current) loadArticle(docId, hl);
    else if (docId && hl !== docs.hl) select(hl, { scroll: true, push: false });
    else if (!docId) {
      docs.current = null;
      $("#article-empty").hidden = false;
      $("#article-empty").textContent = "Choose an article.";
      ["#article-title", "#article-meta"].forEach((s) => { $(s).textContent = ""; });
      clear($("#article-text"));
      $("#legend").hidden = true;
    }
    if (docId && oneColumn()) $("#doc-list-box").open = false;
  }

  async function loadDocs(more) {
    const list = $("#doc-list");
    if (!more) { docs.cursor = null; clear(list); }
    const params = { limit: "100", status: "ok" };
    if (docs.q) params.q = docs.q;
    if (more && docs.cursor) params.cursor = docs.cursor;
    try {
      const page = await api("/api/documents", params);
      for (const d of page.items) {
        list.appendChild(el("li", {},
          el("a", { href: hashFor("articles", d.id, docs.q ? { q: docs.q } : null), dataset: { id: d.id },
            class: d.id === docs.current ? "active" : null }, text(d.title || d.source_id || d.id)),
          el("span", { class: "muted" }, ` ${text(d.published)} · ${text(d.publisher)} · ${d.events} ev, ${d.quotes} q`)));
      }
      docs.cursor = page.next_cursor;
      $("#docs-more").hidden = !page.next_cursor;
      if (!list.children.length) list.appendChild(el("li", { class: "muted" }, "No documents."));
    } catch (e) {
      list.appendChild(el("li", { class: "error" }, "Error: " + e.message));
    }
  }

  async function loadArticle(docId, hl) {
    docs.current = docId;
    docs.hl = null;
    const textNode = $("#article-text");
    clear(textNode);
    clear($("#detail-body"));
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
    if (docs.current !== docId) return;
    docs.data = data;
    const d = data.document;
    $("#article-title").textContent = d.title || d.source_id || d.id;
    $("#article-meta").textContent = [d.publisher, d.published, d.url, "id " + d.id].filter(Boolean).join(" · ");
    $("#legend").hidden = false;
    renderArticle(textNode, d.text || "", annotations(data));
    renderArticleLists(data);
    document.querySelectorAll("#doc-list a").forEach((a) => a.classList.toggle("active", a.dataset.id === d.id || a.dataset.id === docId));
    if (hl) select(hl, { scroll: true, push: false });
  }

  function annotations(data) {
    const out = [];
    const chars = Array.from(data.document.text || "");
    for (const e of data.events || []) {
      if (!Number.isInteger(e.evidence_start) || !Number.isInteger(e.evidence_end)) continue;
      out.push({ layer: "event", start: e.evidence_start, end: e.evidence_end, id: "event:" + e.id, data: e });
      const span = triggerSpan(Object.assign({}, e, { evidence_text: chars.slice(e.evidence_start, e.evidence_end).join("") }));
      if (span) out.push({ layer: "trigger", start: e.evidence_start + span[0], end: e.evidence_start + span[1], id: "trigger:" + e.id, data: e });
    }
    for (const q of data.quotes || []) {
      out.push({ layer: "quote", start: q.start, end: q.end, id: "quote:" + q.idx, data: q });
      if (Number.isInteger(q.speaker_start) && Number.isInteger(q.speaker_end)) {
        out.push({ layer: "speaker", start: q.speaker_start, end: q.speaker_end, id: "speaker:" + q.idx, data: q });
      }
    }
    for (const a of data.actors || []) out.push({ layer: "actor", start: a.start, end: a.end, id: "actor:" + a.idx, data: a });
    for (const t of data.times || []) out.push({ layer: "time", start: t.start, end: t.end, id: "time:" + t.id, data: t });
    return out.filter((a) => Number.isInteger(a.start) && Number.isInteger(a.end) && a.end > a.start);
  }

  // Offsets count code points (Python str indices); split the text into segments at every
  // span boundary and wrap each covered segment in one <span> carrying every layer over it.
  // One span at a time is in the tab order (a roving tabindex); arrow keys move between them.
  function renderArticle(container, fullText, anns) {
    const chars = Array.from(fullText);
    const n = chars.length;
    const cuts = new Set([0, n]);
    for (const a of anns) { cuts.add(Math.max(0, Math.min(n, a.start))); cuts.add(Math.max(0, Math.min(n, a.end))); }
    const bounds = Array.from(cuts).sort((x, y) => x - y);
    container._annotations = new Map(anns.map((a) => [a.id, a]));
    const sorted = anns.slice().sort((x, y) => x.start - y.start);
    const fragment = document.createDocumentFragment();
    let first = true;
    let open = [];
    let next = 0;
    for (let i = 0; i < bounds.length - 1; i++) {
      const from = bounds[i], to = bounds[i + 1];
      while (next < sorted.length && sorted[next].start <= from) open.push(sorted[next++]);
      open = open.filter((a) => a.end > from);
      const piece = chars.slice(from, to).join("");
      const covering = open.filter((a) => a.start <= from && a.end >= to);
      if (!covering.length) { fragment.appendChild(document.createTextNode(piece)); continue; }
      const layers = Array.from(new Set(covering.map((a) => a.layer)));
      const span = el("span", { class: "hl " + layers.map((l) => "hl-" + l).join(" "), tabindex: first ? "0" : "-1" }, piece);
      first = false;
      span.dataset.ann = covering.map((a) => a.id).join("|");
      span.dataset.start = String(from);
      const evs = covering.filter((a) => a.layer === "event").map((a) => a.data.id);
      if (evs.length) span.dataset.event = evs.join("|");
      fragment.appendChild(span);
    }
    container.appendChild(fragment);
  }

  function annsOf(span) {
    const map = $("#article-text")._annotations || new Map();
    return (span.dataset.ann || "").split("|").map((id) => map.get(id)).filter(Boolean);
  }

  /** The one record a click on ``span`` means: the event whose trigger is under it, else the event
   *  whose trigger is nearest, else a quote, speaker, actor or time in that order. */
  function chosenRecord(span) {
    const anns = annsOf(span);
    const trig = anns.find((a) => a.layer === "trigger");
    if (trig) return "event:" + trig.data.id;
    const events = anns.filter((a) => a.layer === "event");
    const map = $("#article-text")._annotations;
    if (events.length) {
      const at = Number(span.dataset.start);
      const distance = (a) => { const t = map.get("trigger:" + a.data.id); return t ? Math.abs(t.start - at) : Infinity; };
      return events.slice().sort((x, y) => distance(x) - distance(y))[0].id;
    }
    for (const layer of ["quote", "speaker", "actor", "time"]) {
      const a = anns.find((x) => x.layer === layer);
      if (a) return layer === "speaker" ? "quote:" + a.data.idx : a.id;
    }
    return null;
  }

  function describe(a, chosen) {
    const d = a.data;
    if (a.layer === "event" || a.layer === "trigger") {
      return [
        el("strong", {}, `Event ${text(d.type)}${d.mode ? " / " + d.mode : ""}`), chosen ? el("span", { class: "badge" }, "chosen") : null,
        d.main ? el("span", { class: "badge", title: "the event its sentence reports" }, "main") : null,
        el("div", {}, `CAMEO ${text(d.cameo)} · quad class ${text(d.quad_class)} (${QUADS[d.quad_class] || "?"}) · Goldstein ${text(d.goldstein)}`),
        el("div", {}, actorLinks(d.source, d.source_codes), " → ", actorLinks(d.target, d.target_codes)),
        el("div", {}, `modality ${text(d.modality) || "—"} · date ${text(d.date_value) || "—"}${d.date_text ? " (“" + d.date_text + "”)" : ""}`),
        d.location ? el("div", {}, "where: " + placeText(d.location)) : null,
        casualties(d) ? el("div", { class: "cas" }, casualties(d)) : null,
        d.attributed_to ? el("div", {}, "according to " + attribution(d.attributed_to)) : null,
        el("div", { class: "ev" }, "“", evidenceWithTrigger(d), "”"),
        el("div", { class: "muted" }, (d.confidence != null ? `confidence ${d.confidence}` : "") +
          (d.role ? ` · trigger role ${d.role}` : "") + " · id " + d.id),
      ];
    }
    if (a.layer === "quote" || a.layer === "speaker") {
      const speaker = d.speaker_name || d.speaker_description || d.speaker_text || (d.anonymous ? "anonymous source" : "unknown speaker");
      return [
        el("strong", {}, `${d.direct ? "Direct" : "Indirect"} quote`), chosen ? el("span", { class: "badge" }, "chosen") : null,
        el("div", {}, "speaker: ", d.speaker_code ? el("a", { href: hashFor("actors", d.speaker_code) }, `${speaker} (${d.speaker_code})`) : speaker),
        d.anonymous ? el("div", {}, "anonymous" + (d.anonymity_reason ? ": " + d.anonymity_reason : "")) : null,
        d.cue ? el("div", {}, "cue: " + d.cue) : null,
        el("div", {}, el("a", { href: hashFor("quotes", null, d.speaker_code ? { actor: d.speaker_code } : { speaker: speaker }) },
          d.speaker_code ? `quotes by ${d.speaker_code} →` : "more quotes by this speaker →")),
      ];
    }
    if (a.layer === "actor") {
      return [
        el("strong", {}, "Actor ", d.code ? el("a", { href: hashFor("actors", d.code) }, d.code) : "(unresolved)"),
        chosen ? el("span", { class: "badge" }, "chosen") : null,
        el("div", {}, [d.name, d.sector, d.kind, d.role].filter(Boolean).join(" · ")),
        d.resolution ? el("div", { class: "muted" }, d.resolution) : null,
      ];
    }
    return [
      el("strong", {}, `Time ${text(d.type)}`), chosen ? el("span", { class: "badge" }, "chosen") : null,
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
  /** Cards for the records over ``span`` (the chosen one first); one card per event, not per layer. */
  function describeSpan(span, chosenId) {
    const order = { event: 0, trigger: 0, quote: 1, speaker: 2, actor: 3, time: 4 };
    const seen = new Set();
    const anns = annsOf(span).filter((a) => {
      const id = a.layer === "trigger" ? "event:" + a.data.id : a.layer === "speaker" ? "quote:" + a.data.idx : a.id;
      if (seen.has(id)) return false;
      seen.add(id);
      a._rid = id;
      return true;
    }).sort((x, y) => (y._rid === chosenId) - (x._rid === chosenId) || order[x.layer] - order[y.layer]);
    return anns.map((a) => el("div", { class: "ann ann-" + (a.layer === "trigger" ? "event" : a.layer) + (a._rid === chosenId ? " chosen" : "") },
      describe(a, a._rid === chosenId)));
  }

  function spansOf(rid) {
    const all = Array.from(document.querySelectorAll("#article-text .hl"));
    const [layer, id] = [rid.slice(0, rid.indexOf(":")), rid.slice(rid.indexOf(":") + 1)];
    return all.filter((s) => (s.dataset.ann || "").split("|").some((a) => a === rid || (layer === "quote" && a === "speaker:" + id)));
  }

  /** Choose a record (``event:<id>``, ``quote:<idx>``, ``actor:<idx>``, ``time:<tid>``): outline it,
   *  show its details next to it, and keep it in the URL. */
  function select(rid, opts) {
    const options = Object.assign({ scroll: false, push: true, span: null }, opts);
    document.querySelectorAll("#article-text .focus").forEach((s) => s.classList.remove("focus"));
    document.querySelectorAll("#article-events li").forEach((li) => li.classList.toggle("chosen", rid && li.dataset.rid === rid));
    docs.hl = rid;
    const detail = $("#detail-body");
    clear(detail);
    if (!rid) { closeSheet(); return; }
    const spans = spansOf(rid);
    spans.forEach((s) => s.classList.add("focus"));
    if (options.push) {
      const { parts, query } = parseHash();
      query.set("hl", rid);
      query.delete("event");
      history.replaceState(null, "", "#/articles/" + encodeURIComponent(parts[1] || docs.current) + "?" + query.toString());
    }
    if (!spans.length) {
      detail.appendChild(el("p", { class: "muted" }, `${rid} is not in this article's text.`));
      return;
    }
    const anchor = options.span && spans.includes(options.span) ? options.span : spans[0];
    append(detail, describeSpan(anchor, rid));
    $("#detail-hint").hidden = true;
    openSheet();
    setRoving(anchor);
    if (options.scroll) anchor.scrollIntoView({ block: "center" });
    keepVisible(anchor);
  }
  function setRoving(span) {
    document.querySelectorAll("#article-text .hl[tabindex='0']").forEach((s) => s.setAttribute("tabindex", "-1"));
    span.setAttribute("tabindex", "0");
  }
  function openSheet() {
    if (!oneColumn()) return;
    $("#detail").classList.add("open");
    document.body.classList.add("sheet-open");
  }
  function closeSheet() {
    $("#detail").classList.remove("open");
    document.body.classList.remove("sheet-open");
  }
  /** On a phone the sheet covers the lower part of the screen: keep the tapped span above it. */
  function keepVisible(span) {
    if (!oneColumn()) return;
    const sheet = $("#detail").getBoundingClientRect();
    const rect = span.getBoundingClientRect();
    const room = sheet.top > 0 ? sheet.top : window.innerHeight * 0.55;
    if (rect.bottom > room - 8 || rect.top < 60) window.scrollBy({ top: rect.top - Math.max(70, room / 3), behavior: "instant" });
  }

  function renderArticleLists(data) {
    const evList = $("#article-events");
    clear(evList);
    for (const e of data.events || []) {
      const rid = "event:" + e.id;
      evList.appendChild(el("li", { dataset: { rid } },
        el("a", { href: hashFor("articles", data.document.id, { hl: rid }), dataset: { event: e.id },
          onclick: (ev) => { ev.preventDefault(); select(rid, { scroll: true }); } },
          `${text(e.type)} ${(e.source_codes || []).join(", ") || "—"} → ${(e.target_codes || []).join(", ") || "—"}`),
        el("span", { class: "muted" }, ` ${text(e.date_value)} · ${text(e.modality)}${e.trigger_text ? " · “" + e.trigger_text + "”" : ""}${e.main ? " · main" : ""}`)));
    }
    if (!evList.children.length) evList.appendChild(el("li", { class: "muted" }, "none"));
    const qList = $("#article-quotes");
    clear(qList);
    for (const q of data.quotes || []) {
      const speaker = q.speaker_name || q.speaker_description || q.speaker_text || "unknown";
      const rid = "quote:" + q.idx;
      qList.appendChild(el("li", { dataset: { rid } },
        el("a", { href: hashFor("articles", data.document.id, { hl: rid }), onclick: (ev) => { ev.preventDefault(); select(rid, { scroll: true }); } },
          el("q", {}, text(q.content))),
        el("span", { class: "muted" }, " — " + speaker)));
    }
    if (!qList.children.length) qList.appendChild(el("li", { class: "muted" }, "none"));
  }

  function setupArticleEvents() {
    const container = $("#article-text");
    const tooltip = $("#tooltip");
    container.addEventListener("mouseover", (ev) => {
      const span = ev.target.closest(".hl");
      if (!span || phone()) return;
      clear(tooltip);
      append(tooltip, describeSpan(span, chosenRecord(span)));
      tooltip.hidden = false;
      const rect = span.getBoundingClientRect();
      tooltip.style.left = Math.min(window.innerWidth - 340, Math.max(8, rect.left)) + "px";
      tooltip.style.top = (window.scrollY + rect.bottom + 6) + "px";
    });
    container.addEventListener("mouseout", (ev) => {
      if (!ev.relatedTarget || !ev.relatedTarget.closest || !ev.relatedTarget.closest(".hl")) tooltip.hidden = true;
    });
    container.addEventListener("click", (ev) => {
      const span = ev.target.closest(".hl");
      if (!span) return;
      tooltip.hidden = true;
      select(chosenRecord(span), { span });
    });
    container.addEventListener("keydown", (ev) => {
      const span = ev.target.closest(".hl");
      if (!span) return;
      const all = Array.from(container.querySelectorAll(".hl"));
      const at = all.indexOf(span);
      let to = null;
      if (ev.key === "ArrowRight" || ev.key === "ArrowDown") to = all[Math.min(all.length - 1, at + 1)];
      else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") to = all[Math.max(0, at - 1)];
      else if (ev.key === "Home") to = all[0];
      else if (ev.key === "End") to = all[all.length - 1];
      else if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(chosenRecord(span), { span }); return; }
      if (to) { ev.preventDefault(); setRoving(to); to.focus(); }
    });
    $("#detail-close").addEventListener("click", closeSheet);
    document.querySelectorAll("#legend input[data-layer]").forEach((box) => {
      box.addEventListener("change", () => container.classList.toggle("hide-" + box.dataset.layer, !box.checked));
    });
  }

  // ---- quotes ----------------------------------------------------------------------------------
  const QUOTE_PARAMS = ["speaker", "actor", "q", "doc", "anonymous", "kind"];
  const quotes = { key: null, params: null, cursor: null };

  function showQuotes(parts, query) {
    const params = pick(query, QUOTE_PARAMS);
    fillForm($("#quote-filters"), query);
    if (key(params) !== quotes.key) loadQuotes(params, false);
  }
  // a quote split by its speech tag, or continued, comes in pieces: show them joined, without the narration
  function quotePieces(q) {
    const content = text(q.content);
    if (!Array.isArray(q.segments) || q.segments.length < 2) return content;
    return q.segments.map(([a, b]) => content.slice(a - q.start, b - q.start)).join(" … ");
  }
  function quoteCard(q) {
    const speaker = q.speaker || q.speaker_name || q.speaker_description || q.speaker_text || (q.anonymous ? "anonymous source" : "unknown speaker");
    return el("li", { dataset: { doc: q.doc_id, idx: text(q.idx) } },
      el("blockquote", {}, "“", quotePieces(q), "”"),
      el("div", {}, "— ", q.speaker_code ? el("a", { href: hashFor("actors", q.speaker_code), title: "this actor" }, `${speaker} (${q.speaker_code})`)
        : el("span", {}, speaker),
        q.anonymous ? el("span", { class: "tag" }, "anonymous" + (q.anonymity_reason ? ": " + q.anonymity_reason : "")) : null,
        el("span", { class: "tag" }, q.kind || (q.partial ? "partial" : q.direct ? "direct" : "indirect")),
        q.cue ? el("span", { class: "tag" }, "cue: " + q.cue) : null),
      el("div", { class: "meta" }, [text(q.doc_publisher), text(q.doc_published)].filter(Boolean).join(" "), " · ",
        el("a", { href: hashFor("articles", q.doc_id, { hl: "quote:" + q.idx }) }, text(q.doc_title || q.source_id || q.doc_id) + " →")));
  }
  async function loadQuotes(params, more) {
    const status = $("#quotes-status");
    const list = $("#quotes-list");
    if (!more) { quotes.key = key(params); quotes.params = params; quotes.cursor = null; clear(list); }
    const requested = quotes.key;
    setStatus(status, "Loading…");
    const query = Object.assign({}, quotes.params, { limit: String(PAGE) });
    if (more && quotes.cursor) query.cursor = quotes.cursor;
    try {
      const page = await api("/api/quotes", query);
      if (requested !== quotes.key) return;
      for (const q of page.items) list.appendChild(quoteCard(q));
      quotes.cursor = page.next_cursor;
      $("#quotes-more").hidden = !page.next_cursor;
      const shown = list.children.length;
      const total = Number.isInteger(page.total) ? page.total : null;
      setStatus(status, shown ? `${shown}${total !== null ? " of " + total : ""} quote${(total || shown) === 1 ? "" : "s"} shown` +
        `${page.next_cursor && total === null ? " (more available)" : ""}` : "No quotes match.");
    } catch (e) {
      if (requested !== quotes.key) return;
      setStatus(status, "Error: " + e.message, true);
      quotes.key = null;
    }
  }

  // ---- actors ----------------------------------------------------------------------------------
  const actors = { key: null, profile: null };

  function showActors(parts, query) {
    const code = parts[1] ? parts[1].toUpperCase() : null;
    fillForm($("#actor-filters"), query);
    $("#actor-index").hidden = Boolean(code);
    $("#actor-profile").hidden = !code;
    if (code) { if (actors.profile !== code) loadProfile(code); setStatus($("#actors-status"), ""); return; }
    const params = pick(query, ["q", "kind"]);
    if (key(params) !== actors.key) loadActorIndex(params);
  }
  async function loadActorIndex(params) {
    actors.key = key(params);
    const requested = actors.key;
    const status = $("#actors-status");
    const body = $("#actors-table tbody");
    clear(body);
    setStatus(status, "Loading…");
    try {
      const data = await api("/api/actor-index", Object.assign({ limit: "200" }, params));
      if (requested !== actors.key) return;
      for (const a of data.items) {
        body.appendChild(el("tr", { dataset: { code: a.code } },
          el("td", {}, el("a", { href: hashFor("actors", a.code) }, a.code)), el("td", {}, text(a.name)),
          el("td", {}, (a.kinds || []).join(", ")), el("td", {}, text(a.mentions)), el("td", {}, text(a.documents)),
          el("td", {}, a.events ? el("a", { href: hashFor("events", null, { actor: a.code }) }, String(a.events)) : "0"),
          el("td", {}, a.quotes ? el("a", { href: hashFor("quotes", null, { actor: a.code }) }, String(a.quotes)) : "0")));
      }
      setStatus(status, data.items.length ? plural(data.items.length, "actor") : "No actor matches.");
    } catch (e) { setStatus(status, "Error: " + e.message, true); actors.key = null; }
  }
  async function loadProfile(code) {
    actors.profile = code;
    $("#actor-title").textContent = code;
    $("#actor-summary").textContent = "Loading…";
    ["#actor-names", "#actor-types", "#actor-partners", "#actor-events", "#actor-quotes"].forEach((s) => clear($(s)));
    $("#actor-events-all").setAttribute("href", hashFor("events", null, { actor: code }));
    $("#actor-quotes-all").setAttribute("href", hashFor("quotes", null, { actor: code }));
    let profile;
    try {
      [profile] = await Promise.all([api("/api/actor-index/" + encodeURIComponent(code))]);
    } catch (e) {
      $("#actor-summary").textContent = "Error: " + e.message;
      $("#actor-summary").classList.add("error");
      return;
    }
    if (actors.profile !== code) return;
    $("#actor-summary").classList.remove("error");
    const best = (profile.names || []).find((n) => n.name && n.kind !== "location");
    $("#actor-title").textContent = best ? `${best.name} (${code})` : code;
    $("#actor-summary").textContent = `${plural(profile.events, "event")} (${profile.as_source} as source, ${profile.as_target} as target) · ` +
      `${plural(profile.quotes, "quote")}`;
    for (const n of profile.names || []) {
      $("#actor-names").appendChild(el("li", {}, text(n.name) || el("span", { class: "muted" }, "(no name)"),
        el("span", { class: "muted" }, ` ${[n.kind, n.sector].filter(Boolean).join(", ")} · ${plural(n.mentions, "mention")} in ${plural(n.documents, "article")}`)));
    }
    for (const t of profile.types || []) {
      $("#actor-types").appendChild(el("li", {}, el("a", { class: "chip", href: hashFor("events", null, { actor: code, type: t.type }) },
        `${text(t.type) || "?"} ${t.events}`)));
    }
    for (const p of profile.partners || []) {
      $("#actor-partners").appendChild(el("li", {}, el("a", { class: "chip", href: hashFor("events", null, { pair: `${code},${p.code}` }) },
        `${p.code} ${p.events}`), " ", el("a", { href: hashFor("actors", p.code), class: "small-link", title: p.code + " itself" }, "↗")));
    }
    try {
      const [evs, qs] = await Promise.all([api("/api/events", { actor: code, limit: "20" }), api("/api/quotes", { actor: code, limit: "20" })]);
      if (actors.profile !== code) return;
      for (const e of evs.items) $("#actor-events").appendChild(eventCard(e));
      if (!evs.items.length) $("#actor-events").appendChild(el("li", { class: "muted" }, "none"));
      for (const q of qs.items) $("#actor-quotes").appendChild(quoteCard(q));
      if (!qs.items.length) $("#actor-quotes").appendChild(el("li", { class: "muted" }, "none"));
    } catch (e) { $("#actor-events").appendChild(el("li", { class: "error" }, "Error: " + e.message)); }
  }

  // ---- overview: counts over time, top pairs, map ----------------------------------------------------
  const OVERVIEW_PARAMS = ["by", "interval", "actor", "date_from", "date_to", "place"];
  const overview = { key: null, world: null, places: null };

  function showOverview(parts, query) {
    fillForm($("#overview-form"), query, { by: "quad_class" });
    const params = pick(query, OVERVIEW_PARAMS);
    const k = key(Object.assign({}, params, { place: null }));
    if (k !== overview.key) drawOverview(params);
    else showPlace(params.place || null);
  }
  function periodRange(period) {
    return { date_from: period, date_to: period };
  }
  async function drawOverview(params) {
    overview.key = key(Object.assign({}, params, { place: null }));
    const requested = overview.key;
    const status = $("#overview-status");
    setStatus(status, "Loading…");
    const filters = pick(new URLSearchParams(params), ["actor", "date_from", "date_to"]);
    const by = params.by || "quad_class";
    const placesCall = api("/api/overview/places", filters);  // the map comes when it is ready
    let data;
    try {
      data = await api("/api/overview", Object.assign({ by, interval: params.interval || "" }, filters));
    } catch (e) { setStatus(status, "Error: " + e.message, true); overview.key = null; return; }
    if (requested !== overview.key) return;
    setStatus(status, `${plural(data.total, "event")}; counted per ${data.interval}` +
      (data.undated ? `; ${data.undated} undated` : "") + (data.coarser ? `; ${data.coarser} dated only to the year` : ""));
    // top pairs
    const body = $("#overview-pairs tbody");
    clear(body);
    for (const p of data.pairs) {
      body.appendChild(el("tr", {},
        el("td", {}, el("a", { href: hashFor("events", null, Object.assign({ pair: `${p.a},${p.b}` }, filters)) }, `${p.a} – ${p.b}`)),
        el("td", {}, text(p.events)), el("td", {}, text(p.conflict)),
        el("td", {}, el("a", { href: hashFor("timeline", null, { a: p.a, b: p.b }), class: "small-link" }, "timeline"))));
    }
    if (!data.pairs.length) body.appendChild(el("tr", {}, el("td", { colspan: "4", class: "muted" }, "no pairs")));
    // map (drawn here, from a file the server ships: nothing fetched from elsewhere)
    $("#map-note").textContent = "loading…";
    placesCall.then((places) => {
      if (requested !== overview.key) return;
      overview.places = places;
      return drawMap(places, params.place || null);
    }).catch((e) => { $("#map-note").textContent = "Error: " + e.message; });
    // counts over time (plotly, loaded now)
    const chart = $("#overview-chart");
    const Plotly = await loadPlotly();
    if (requested !== overview.key) return;
    if (!Plotly) { chart.textContent = "(chart unavailable: plotly.js could not be loaded)"; return; }
    const periods = Array.from(new Set(data.series.map((s) => s.period))).sort();
    const traces = data.keys.map((k) => {
      const counts = new Map(data.series.filter((s) => s.key === k).map((s) => [s.period, s.count]));
      return { type: "bar", name: by === "quad_class" ? `${k} ${QUADS[k] || "none"}` : k, x: periods, y: periods.map((p) => counts.get(p) || 0),
        customdata: periods.map(() => k), marker: by === "quad_class" ? { color: QUAD_COLORS[k] || "#999" } : undefined,
        hovertemplate: "%{x}: %{y} events<extra>%{fullData.name}</extra>" };
    });
    purge(chart);
    await Plotly.newPlot(chart, traces, {
      barmode: "stack", margin: { l: 40, r: 10, t: 10, b: 40 }, height: phone() ? 260 : 300, hovermode: "closest",
      xaxis: { type: "category", automargin: true }, font: { family: "system-ui, sans-serif", size: 12 },
      legend: { orientation: "h", y: -0.25 },
    }, { displaylogo: false, responsive: true, displayModeBar: false });
    chart.on("plotly_click", (ev) => {
      const point = ev.points && ev.points[0];
      if (!point) return;
      const filter = by === "quad_class" ? { quad_class: point.customdata === "none" ? "" : point.customdata } : { type: point.customdata };
      go(hashFor("events", null, Object.assign({}, filters, periodRange(String(point.x)), filter)));
    });
  }

  // Natural Earth projection (Šavrič et al. 2011): lon/lat in degrees -> x, y
  function project(lon, lat) {
    const l = (lon * Math.PI) / 180, p = (lat * Math.PI) / 180, p2 = p * p, p4 = p2 * p2;
    const x = l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)));
    const y = p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)));
    return [x, -y];
  }
  async function loadWorld() {
    if (!overview.world) overview.world = api("/static/world.json").catch(() => ({ countries: [] }));
    return overview.world;
  }
  async function drawMap(places, chosen) {
    const box = $("#map");
    const world = await loadWorld();
    const W = 1000, scale = W / (2 * 2.7371), H = Math.round(scale * 2 * 1.42);
    const xy = (lon, lat) => { const [x, y] = project(lon, lat); return [W / 2 + x * scale, H * 0.56 + y * scale]; };
    const old = $("#map-svg");
    const ns = old.namespaceURI;  // the SVG namespace, from the element the page ships
    const svg = old.cloneNode(false);
    svg.setAttribute("viewBox", `0 0 ${W} ${Math.round(H * 0.9)}`);
    const centres = new Map();
    const hitCodes = new Set(places.places.map((p) => p.code));
    for (const c of world.countries || []) {
      centres.set(c.code, c.c);
      let d = "";
      for (const ring of c.r) {
        for (let i = 0; i < ring.length; i += 2) {
          const [x, y] = xy(ring[i], ring[i + 1]);
          d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
        }
        d += "Z";
      }
      const path = document.createElementNS(ns, "path");
      path.setAttribute("d", d);
      path.setAttribute("class", "land" + (hitCodes.has(c.code) ? " hit" : ""));
      const title = document.createElementNS(ns, "title");
      title.textContent = c.name;
      path.appendChild(title);
      svg.appendChild(path);
    }
    const max = Math.max(1, ...places.places.map((p) => p.events));
    for (const p of places.places) {
      let lonlat = Number.isFinite(p.longitude) && Number.isFinite(p.latitude) ? [p.longitude, p.latitude] : centres.get(p.code);
      if (!lonlat) continue;
      const [x, y] = xy(lonlat[0], lonlat[1]);
      const id = placeId(p);
      const dot = document.createElementNS(ns, "circle");
      dot.setAttribute("cx", x.toFixed(1));
      dot.setAttribute("cy", y.toFixed(1));
      dot.setAttribute("r", (4 + 10 * Math.sqrt(p.events / max)).toFixed(1));
      dot.setAttribute("class", "place" + (p.precision === "country" ? " country" : "") + (id === chosen ? " chosen" : ""));
      dot.setAttribute("tabindex", "0");
      dot.setAttribute("role", "button");
      dot.dataset.place = id;
      const label = `${text(p.text) || p.code} (${p.code}): ${plural(p.events, "event")}${p.precision === "country" ? ", placed at the country's centre" : ""}`;
      dot.setAttribute("aria-label", label);
      const title = document.createElementNS(ns, "title");
      title.textContent = label;
      dot.appendChild(title);
      svg.appendChild(dot);
    }
    svg.addEventListener("click", (ev) => { const dot = ev.target.closest("circle.place"); if (dot) choosePlace(dot.dataset.place); });
    svg.addEventListener("keydown", (ev) => {
      const dot = ev.target.closest("circle.place");
      if (dot && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); choosePlace(dot.dataset.place); }
    });
    old.replaceWith(svg);
    $("#map-note").textContent = `${places.located} of ${plural(places.total, "event")} have a place; blue: only the country is known`;
    showPlace(chosen);
  }
  function placeId(p) { return `${p.code || ""}:${p.text || ""}`; }
  function choosePlace(id) {
    const { query } = parseHash();
    query.set("place", id);
    go("#/overview?" + query.toString());
  }
  function showPlace(id) {
    const box = $("#place-events");
    clear(box);
    document.querySelectorAll("#map circle.place").forEach((c) => c.classList.toggle("chosen", c.dataset.place === id));
    if (!id || !overview.places) return;
    const p = overview.places.places.find((x) => placeId(x) === id);
    if (!p) { box.appendChild(el("p", { class: "muted" }, "That place has no events under these filters.")); return; }
    box.appendChild(el("h3", {}, `${text(p.text) || p.code} (${p.code}): ${plural(p.events, "event")}` +
      (p.events > p.items.length ? `, the first ${p.items.length}` : "")));
    const list = el("ol", { class: "cards" });
    for (const e of p.items) list.appendChild(eventCard(Object.assign({ location: { text: p.text, code: p.code } }, e)));
    box.appendChild(list);
  }

  // ---- timeline --------------------------------------------------------------------------------
  let pairsLoaded = false;
  const timeline = { key: null };

  function showTimeline(parts, query) {
    if (!pairsLoaded) loadPairs();
    // a link without a kind means the default kind, not the one chosen last
    fillForm($("#timeline-form"), query, { kind: "diplomatic" });
    const params = pick(query, ["a", "b", "kind", "as_of"]);
    if (!params.a || !params.b) {
      timeline.key = null;
      setStatus($("#timeline-status"), "Choose a pair, or type two actor codes.");
      clear($("#timeline-changes"));
      $("#timeline-empty").hidden = true;
      purge($("#timeline-chart"));
      return;
    }
    if (key(params) !== timeline.key) drawTimeline(params);
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
        box.appendChild(el("a", { class: "chip", href: hashFor("timeline", null, { a: p.a, b: p.b, kind: p.kind }) },
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

  async function drawTimeline(params) {
    timeline.key = key(params);
    const requested = timeline.key;
    const status = $("#timeline-status");
    const empty = $("#timeline-empty");
    const chart = $("#timeline-chart");
    const list = $("#timeline-changes");
    clear(list);
    empty.hidden = true;
    setStatus(status, "Loading…");
    let data;
    try {
      data = await api("/api/timeline", Object.assign({ kind: "diplomatic" }, params));
    } catch (e) {
      if (requested !== timeline.key) return;
      setStatus(status, "Error: " + e.message, true);
      purge(chart);
      timeline.key = null;
      return;
    }
    if (requested !== timeline.key) return;
    const pair = (data.pair || [params.a, params.b]).join("–");
    setStatus(status, `${pair} (${data.kind}): ${plural(data.changes.length, "change")}` +
      `; state${data.as_of ? " as of " + data.as_of : " now"}: ${data.state_as_of}`);
    if (!data.changes.length) {
      empty.textContent = `No relation changes recorded for ${pair} (${data.kind}).`;
      empty.hidden = false;
      purge(chart);
      return;
    }
    for (const c of data.changes) {
      const sources = el("ol", { class: "timeline-sources" });
      for (const s of c.sources || []) {
        const label = [s.publisher, s.published].filter(Boolean).join(" ") || s.doc_id;
        sources.appendChild(el("li", {},
          el("a", { href: hashFor("articles", s.doc_id, s.event_id ? { hl: "event:" + s.event_id } : null) }, label),
          s.reported_date && s.reported_date !== c.date ? el("span", { class: "muted" }, ` (dated ${s.reported_date})`) : null,
          s.defaulted ? el("span", { class: "muted" }, " (date defaulted)") : null));
      }
      list.appendChild(el("li", {},
        el("strong", {}, `${text(c.date) || "undated"} ${text(c.change)}`),
        ` by ${text(c.by) || "?"} · ${plural(c.num_documents || 0, "document")}`, sources));
    }
    const Plotly = await loadPlotly();
    if (requested !== timeline.key) return;
    if (!Plotly) { setStatus(status, status.textContent + " (charts unavailable: plotly.js not loaded)"); return; }
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
    purge(chart);
    await Plotly.newPlot(chart, traces, {
      margin: { l: 70, r: 10, t: 30, b: 40 }, height: 260, hovermode: "closest",
      xaxis: { type: "date" },
      yaxis: { type: "category", categoryorder: "array", categoryarray: ["relation", "changes"], range: [-0.6, 1.7] },
      font: { family: "system-ui, sans-serif", size: 12 }, legend: { orientation: "h", y: 1.15 },
    }, { displaylogo: false, responsive: true, displayModeBar: false });
    chart.on("plotly_click", (ev) => {  // a change: its first report, in its article
      const point = ev.points && ev.points[0];
      const change = point && point.data.name === "changes" ? dated[point.pointIndex] : null;
      const source = change && (change.sources || [])[0];
      if (source) go(hashFor("articles", source.doc_id, source.event_id ? { hl: "event:" + source.event_id } : null));
    });
  }

  // ---- network ---------------------------------------------------------------------------------
  const NETWORK_PARAMS = ["quad_class", "type", "actor", "date_from", "date_to"];
  const network = { key: null };

  function showNetwork(parts, query) {
    fillForm($("#network-form"), query);
    const params = pick(query, NETWORK_PARAMS);
    if (key(params) !== network.key) drawNetwork(params);
  }

  async function drawNetwork(params) {
    network.key = key(params);
    const requested = network.key;
    const status = $("#network-status");
    const chart = $("#network-chart");
    const body = $("#network-edges tbody");
    clear(body);
    setStatus(status, "Loading…");
    let data;
    try {
      data = await api("/api/network", Object.assign({}, params, { limit: "200" }));
    } catch (e) { if (requested === network.key) { setStatus(status, "Error: " + e.message, true); network.key = null; } return; }
    if (requested !== network.key) return;
    setStatus(status, data.edges.length ? `${data.nodes.length} actors, ${data.edges.length} edges` : "No events with both a source and a target match.");
    for (const e of data.edges.slice(0, 100)) {
      const filter = Object.assign({}, params, { source: e.source, target: e.target, quad_class: text(e.quad_class) });
      body.appendChild(el("tr", {},
        el("td", {}, el("a", { href: hashFor("actors", e.source) }, e.source)), el("td", {}, el("a", { href: hashFor("actors", e.target) }, e.target)),
        el("td", { class: "quad q" + text(e.quad_class) }, `${text(e.quad_class)} `, el("span", { class: "qname" }, QUADS[e.quad_class] || "")),
        el("td", {}, el("a", { href: hashFor("events", null, filter), title: "these events" }, text(e.weight))), el("td", {}, text(e.goldstein))));
    }
    const Plotly = await loadPlotly();
    if (requested !== network.key) return;
    if (!Plotly) { setStatus(status, status.textContent + " (charts unavailable: plotly.js not loaded)"); return; }
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
      marker: { size: data.nodes.map((node) => (phone() ? 0.5 : 1) * (10 + Math.min(30, node.weight))), color: "#334", opacity: 0.85 },
      customdata: data.nodes.map((node) => [node.code, node.out, node.in]),
      hovertemplate: "%{customdata[0]}: %{customdata[1]} out, %{customdata[2]} in (click: the actor)<extra></extra>",
    });
    purge(chart);
    await Plotly.newPlot(chart, traces, {
      margin: { l: 10, r: 10, t: 30, b: 10 }, height: phone() ? 420 : 560, hovermode: "closest", showlegend: true,
      xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" },
      font: { family: "system-ui, sans-serif", size: 12 }, legend: { orientation: "h" },
    }, { displaylogo: false, responsive: true, displayModeBar: false });
    chart.on("plotly_click", (ev) => {
      const point = ev.points && ev.points[0];
      if (point && point.customdata && point.data.name === "actors") go(hashFor("actors", point.customdata[0]));
    });
  }

  // ---- wiring ----------------------------------------------------------------------------------
  function init() {
    $("#event-filters").addEventListener("submit", (ev) => { ev.preventDefault(); go(hashFor("events", null, formValues(ev.target))); });
    $("#f-sort").addEventListener("change", () => $("#event-filters").requestSubmit());
    $("#events-reset").addEventListener("click", () => go("#/events"));
    $("#events-more").addEventListener("click", () => loadEvents(events.params, true));
    $("#doc-search").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const { parts } = parseHash();
      go(hashFor("articles", parts[0] === "articles" ? parts[1] : null, { q: $("#doc-q").value }));
    });
    $("#docs-more").addEventListener("click", () => loadDocs(true));
    $("#quote-filters").addEventListener("submit", (ev) => { ev.preventDefault(); go(hashFor("quotes", null, formValues(ev.target))); });
    $("#quotes-reset").addEventListener("click", () => go("#/quotes"));
    $("#quotes-more").addEventListener("click", () => loadQuotes(quotes.params, true));
    $("#actor-filters").addEventListener("submit", (ev) => { ev.preventDefault(); go(hashFor("actors", null, formValues(ev.target))); });
    $("#overview-form").addEventListener("submit", (ev) => { ev.preventDefault(); go(hashFor("overview", null, formValues(ev.target))); });
    $("#timeline-form").addEventListener("submit", (ev) => { ev.preventDefault(); go(hashFor("timeline", null, formValues(ev.target))); });
    $("#network-form").addEventListener("submit", (ev) => { ev.preventDefault(); go(hashFor("network", null, formValues(ev.target))); });
    setupArticleEvents();
    setupSortHeaders();
    if (phone()) document.querySelectorAll("details.filter-box").forEach((d) => { d.open = false; });
    document.querySelectorAll("details.filter-box form").forEach((form) => form.addEventListener("submit", () => {
      if (phone()) form.closest("details").open = false;
    }));
    window.addEventListener("hashchange", route);
    route();
    // the store counts and the codebook (type suggestions) wait until the first view has its data
    setTimeout(() => { loadInfo(); loadCodebook(); }, 400);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
