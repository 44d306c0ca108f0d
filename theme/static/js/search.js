/* Search of the whole archive in the browser: the /search/ page (theme/templates/search.html).
 *
 * plugins/search_index (lunr.py) writes search/manifest.json and, per half month of papers,
 * a "meta" shard (a lunr index over title, authors, paper themes and keywords, plus the
 * records that results show) and a "text" shard (a lunr index over the abstracts).  Meta
 * shards load newest first and a query runs over the shards loaded so far, so the first
 * results show as soon as the newest shard is in; abstracts are searched only when titles
 * and the rest find fewer than MAX_RESULTS papers.  An arXiv id is looked up in the records
 * directly (lunr's pipeline has no business with ids), only in shards holding its YYMM.
 *
 * The query lives in the URL (?q=…): typing replaces the history entry, and a query that was
 * submitted, loaded or left alone for COMMIT_AFTER_MS gets its own entry, so Back returns to
 * it.  Everything from the index or the URL is shown with textContent, never as markup.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var MIN_QUERY = 2;
  var COMMIT_AFTER_MS = 1500;
  var SLICE_MS = 8;
  var ID_RE = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
  var ID_TYPING_RE = /^\d{4}\.\d{0,5}$/;
  var WORD_RE = /[\p{L}\p{N}]+/gu;
  var SAFE_PATH_RE = /^[A-Za-z0-9._~\/-]+$/;
  var ARXIV_ID_RE = /^\d{4}\.\d{4,5}$/;  // the ids the fetch stores
  var ID_MATCH = 0, META_MATCH = 1, TEXT_MATCH = 2;

  var root = document.getElementById("search");
  if (!root || !window.lunr) return;
  var form = root.querySelector("form");
  var input = document.getElementById("search-q");
  var statusLine = document.getElementById("search-status");  // announced (aria-live)
  var progressLine = document.getElementById("search-progress");  // not announced
  var list = document.getElementById("search-results");
  var siteUrl = root.getAttribute("data-siteurl") || "";
  var exampleId = root.getAttribute("data-example-id");  // the site's newest paper
  var manifestUrl = new URL(root.getAttribute("data-manifest"), location.href);

  var shards = null;        // from the manifest, newest first; each loads its meta and text
  var manifestPromise = null;
  var generation = 0;       // the search running now; older ones stop at their next step
  var committed = false;    // the history entry's query stays when the query changes
  var commitTimer = null;

  // --- terms, exactly as plugins/search_index/index_builder.py makes them ---
  function words(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(WORD_RE) || [];
  }
  function stem(word) { return lunr.stemmer(new lunr.Token(word)).toString(); }
  function isStopWord(word) { return !lunr.stopWordFilter(new lunr.Token(word)); }
  function startsWith(text, prefix) { return text.lastIndexOf(prefix, 0) === 0; }

  /* One query word: the lunr clauses that find it and which index terms count as a match.
   * A finished word must match its stem.  The word still being typed (the last one) also
   * matches terms starting with it or its stem, and stems it has already grown past
   * ("diffusi" is on its way to "diffusion", whose term is "diffus"). */
  function queryWord(word, typing) {
    var s = stem(word);
    if (!typing) {
      if (isStopWord(word)) return null;
      return {required: true, clauses: [{term: s, boost: 10}], accepts: function (t) { return t === s; }};
    }
    var shortest = Math.max(3, word.length - 3);
    var clauses = [{term: s, boost: 10}, {term: s, boost: 1, wildcard: true}];
    if (word !== s) clauses.push({term: word, boost: 1, wildcard: true});
    for (var k = shortest; k < word.length; k++) clauses.push({term: word.slice(0, k), boost: 1});
    return {
      required: !isStopWord(word),  // "for" on its way to "forecast" must not restrict yet
      clauses: clauses,
      accepts: function (t) {
        return startsWith(t, s) || startsWith(t, word) || (t.length >= shortest && startsWith(word, t));
      }
    };
  }

  function parseQuery(q) {
    var parts = q.trim().split(/\s+/).filter(Boolean);
    var typing = !/\s$/.test(q);
    var parsed = {ids: [], idPrefixes: [], words: []};
    parts.forEach(function (part, i) {
      var last = typing && i === parts.length - 1;
      if (last && ID_TYPING_RE.test(part)) { parsed.idPrefixes.push(part); return; }  // exact first
      var id = ID_RE.exec(part);
      if (id) { parsed.ids.push(id[1]); return; }
      var found = words(part);
      found.forEach(function (w, j) {
        var qw = queryWord(w, last && j === found.length - 1);
        if (qw) parsed.words.push(qw);
      });
    });
    return parsed;
  }

  // --- loading ---
  function fetchJson(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  function loadManifest() {
    if (!manifestPromise) {
      manifestPromise = fetchJson(manifestUrl.href).then(function (manifest) {
        var fields = manifest.record_fields;
        shards = manifest.shards.map(function (info) {
          return {info: info, fields: fields, meta: null, text: null, metaPromise: null, textPromise: null};
        });
        return shards;
      });
    }
    return manifestPromise;
  }

  function loadMeta(shard) {
    if (!shard.metaPromise) {
      shard.metaPromise = fetchJson(new URL(shard.info.meta, manifestUrl).href).then(function (data) {
        var byId = Object.create(null);
        var records = data.records.map(function (values, ref) {
          var record = {};
          shard.fields.forEach(function (name, i) { record[name] = values[i]; });
          byId[record.id] = ref;
          return record;
        });
        shard.meta = {records: records, byId: byId, index: lunr.Index.load(data.index)};
        return shard.meta;
      });
    }
    return shard.metaPromise;
  }

  function loadText(shard) {
    if (!shard.textPromise) {
      shard.textPromise = fetchJson(new URL(shard.info.text, manifestUrl).href).then(function (data) {
        shard.text = {index: lunr.Index.load(data.index)};
        return shard.text;
      });
    }
    return shard.textPromise;
  }

  // --- searching ---
  function lunrMatches(index, query) {
    var results = index.query(function (q) {
      query.words.forEach(function (w) {
        w.clauses.forEach(function (c) {
          q.term(c.term, {
            usePipeline: false,
            boost: c.boost,
            wildcard: c.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE
          });
        });
      });
    });
    // Every word (but a stop word being typed) must match: lunr only ORs clauses.
    return results.filter(function (result) {
      var terms = Object.keys(result.matchData.metadata);
      return query.words.every(function (w) { return !w.required || terms.some(w.accepts); });
    });
  }

  function add(found, record, kind, score) {
    var known = found[record.id];
    if (!known) found[record.id] = {record: record, kind: kind, score: score};
    else known.score += score;
  }

  function searchMeta(found, shard, query) {
    var meta = shard.meta;
    query.ids.forEach(function (id) {
      if (id in meta.byId) add(found, meta.records[meta.byId[id]], ID_MATCH, 2);
    });
    query.idPrefixes.forEach(function (prefix) {
      meta.records.forEach(function (record) {
        if (startsWith(record.id, prefix)) add(found, record, ID_MATCH, record.id === prefix ? 2 : 1);
      });
    });
    if (query.words.length) {
      lunrMatches(meta.index, query).forEach(function (r) { add(found, meta.records[+r.ref], META_MATCH, r.score); });
    }
  }

  function searchText(found, shard, query) {
    lunrMatches(shard.text.index, query).forEach(function (r) {
      add(found, shard.meta.records[+r.ref], TEXT_MATCH, r.score);
    });
  }

  function ranked(found) {
    return Object.keys(found).map(function (id) { return found[id]; }).sort(function (a, b) {
      return (a.kind - b.kind) || (b.score - a.score) || (a.record.day < b.record.day ? 1 : a.record.day > b.record.day ? -1 : 0);
    });
  }

  function nextTask() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }

  async function run(q, query, gen) {
    var found = Object.create(null);
    var byId = !query.words.length;
    var prefixes = query.ids.concat(query.idPrefixes).map(function (id) { return id.slice(0, 4); });
    var candidates = shards.filter(function (shard) {
      return !byId || prefixes.some(function (p) { return shard.info.id_prefixes.indexOf(p) >= 0; });
    });
    var stages = [
      {load: loadMeta, loaded: function (shard) { return shard.meta; }, search: searchMeta},
      {load: loadText, loaded: function (shard) { return shard.text; }, search: searchText}
    ];
    var total = candidates.length * (byId ? 1 : 2);
    var done = 0, sliceStart = performance.now(), stopped = false;
    for (var s = 0; s < stages.length; s++) {
      // Abstracts only when titles, authors, themes and keywords found too few papers.
      if (s === 1 && (byId || Object.keys(found).length >= MAX_RESULTS)) break;
      var stage = stages[s];
      for (var i = 0; i < candidates.length; i++) {
        var shard = candidates[i];
        if (i + 1 < candidates.length) stage.load(candidates[i + 1]);  // keep one request ahead
        if (!stage.loaded(shard)) {
          await stage.load(shard);
          if (gen !== generation) return;
        }
        var before = Object.keys(found).length;
        stage.search(found, shard, query);
        done++;
        // Enough abstract matches to fill the page: older abstracts would only add more.
        if (s === 1 && Object.keys(found).length >= MAX_RESULTS) {
          stopped = true;
          break;
        }
        if (Object.keys(found).length > before || performance.now() - sliceStart > SLICE_MS) {
          render(q, ranked(found), "partial", done, total);
          await nextTask();  // let the next keystroke in
          if (gen !== generation) return;
          sliceStart = performance.now();
        }
      }
    }
    render(q, ranked(found), stopped ? "at least" : "all", done, total);
  }

  function search(q) {
    var gen = ++generation;
    var query = parseQuery(q);
    if (q.trim().length < MIN_QUERY || !(query.ids.length || query.idPrefixes.length || query.words.length)) {
      list.replaceChildren();
      progressLine.textContent = "";
      root.setAttribute("data-rendered", q);
      root.setAttribute("data-complete", "true");
      statusLine.textContent = q.trim() ? "Type at least " + MIN_QUERY + " letters or an arXiv id." : "";
      return;
    }
    loadManifest().then(function () {
      if (gen === generation) return run(q, query, gen);
    }).catch(function (error) {
      if (gen !== generation) return;
      statusLine.textContent = "Search is unavailable: its index could not be loaded.";
      console.error(error);
    });
  }

  // --- showing ---
  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function resultItem(record) {
    var li = document.createElement("li");
    // A paper without a page of its own (ARXIV_ONLY_PAGE_MONTHS) has no url: its arXiv abstract.
    var href = record.url === "" ? (ARXIV_ID_RE.test(record.id) ? "https://arxiv.org/abs/" + record.id : null)
      : (SAFE_PATH_RE.test(record.url) && !startsWith(record.url, "//") ? siteUrl + "/" + record.url : null);
    var heading = document.createElement(href ? "a" : "span");
    heading.className = "search-title";
    if (href) heading.href = href;
    heading.textContent = record.title;
    li.appendChild(heading);
    var authors = record.authors.join(", ");
    if (record.more_authors > 0) authors += " and " + record.more_authors + " more";
    li.appendChild(paragraph("search-authors", authors));
    var meta = paragraph("search-meta", "");
    if (typeof record.upvotes === "number") {  // as the cards show them
      var upvotes = document.createElement("span");
      upvotes.className = "upvotes";
      upvotes.title = "upvotes on Hugging Face";
      upvotes.textContent = "\u25b2\u00a0" + record.upvotes;
      meta.appendChild(upvotes);
      meta.appendChild(document.createTextNode(" · "));
    }
    var day = document.createElement("time");
    day.dateTime = record.day;
    day.textContent = record.day;
    meta.appendChild(day);
    meta.appendChild(document.createTextNode(" · arXiv:" + record.id + (record.themes.length ? " · " + record.themes.join(", ") : "")));
    li.appendChild(meta);
    li.appendChild(paragraph("search-snippet", record.snippet));
    return li;
  }

  /* How far the search got: "partial" (older shards still to search), "all" (every
   * match found) or "at least" (stopped once abstracts had filled the page). */
  function render(q, results, progress, done, total) {
    var complete = progress !== "partial";
    var shown = results.slice(0, MAX_RESULTS);
    var ids = shown.map(function (r) { return r.record.id; }).join(" ");
    // Re-rendering would take the focus away from a result being read; finish first.
    var focusInside = list.contains(document.activeElement);
    if (list.getAttribute("data-ids") !== ids && (!focusInside || complete)) {
      var items = document.createDocumentFragment();
      shown.forEach(function (r) { items.appendChild(resultItem(r.record)); });
      list.replaceChildren(items);
      list.setAttribute("data-ids", ids);
    }
    var quoted = "“" + q.trim() + "”";
    // Screen readers hear the outcome once, not every step of a search on its way.
    progressLine.textContent = complete ? "" : results.length + (results.length === 1 ? " paper matches " : " papers match ") +
      quoted + " so far; searching older papers (" + done + " of " + total + ")…";
    var message = "";
    if (complete && !results.length) {
      message = "No papers match " + quoted + ". Try fewer or other words, or an arXiv id" +
        (exampleId ? " such as " + exampleId : "") + ".";
    } else if (complete) {
      message = (progress === "at least" ? "At least " : "") + results.length +
        (results.length === 1 ? " paper matches " : " papers match ") + quoted +
        (results.length > MAX_RESULTS ? "; the best " + MAX_RESULTS + " are shown." : ".");
    }
    statusLine.textContent = message;
    root.setAttribute("data-rendered", q);
    root.setAttribute("data-complete", complete ? "true" : "false");
  }

  // --- the URL and history ---
  function urlQuery() { return new URLSearchParams(location.search).get("q") || ""; }

  function setUrlQuery(q) {
    if (q === urlQuery()) return;
    var url = location.pathname + (q ? "?q=" + encodeURIComponent(q) : "");
    if (committed && urlQuery()) history.pushState({q: q}, "", url);
    else history.replaceState({q: q}, "", url);
  }

  function commitSoon() {
    clearTimeout(commitTimer);
    commitTimer = setTimeout(function () { committed = true; }, COMMIT_AFTER_MS);
  }

  input.addEventListener("input", function () {
    setUrlQuery(input.value);
    committed = false;
    commitSoon();
    search(input.value);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    setUrlQuery(input.value);
    clearTimeout(commitTimer);
    committed = true;
    search(input.value);
  });

  window.addEventListener("popstate", function () {
    input.value = urlQuery();
    committed = true;
    search(input.value);
  });

  // Arrow keys move between the search box and the result links (Tab works as usual).
  root.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = event.target === input ? -1 : links.indexOf(event.target);
    if (at === -1 && event.target !== input) return;
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < -1 || next >= links.length || (at === -1 && next === -1)) return;
    event.preventDefault();
    (next === -1 ? input : links[next]).focus();
  });

  var initial = urlQuery();
  input.value = initial;
  committed = initial !== "";
  if (!initial) input.focus();
  // Fetch the newest shard right away: the first keystroke then searches at once.
  loadManifest().then(function (loaded) {
    return loaded.length ? loadMeta(loaded[0]) : null;
  }).then(function () {
    root.setAttribute("data-state", "ready");
  }).catch(function (error) {
    statusLine.textContent = "Search is unavailable: its index could not be loaded.";
    console.error(error);
  });
  if (initial) search(initial);
})();
