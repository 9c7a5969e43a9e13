/* lessons render: client-side search that works from file:// (no fetch, no server).
   assets/search-index.js sets window.LESSONS_SEARCH_INDEX: one record per lesson section,
   {page, section, href, text}, with href relative to the site root. This script finds the
   search field of the page, scores the records by the query's words, and lists the best
   ones as links. Keyboard: type, then Tab or the arrow keys to the results, Enter to go. */
(function () {
  "use strict";
  var MAX = 12;

  function siteRoot() {
    var own = document.querySelector('script[src$="search.js"]');
    var src = own ? own.getAttribute("src") : "assets/search.js";
    return src.replace(/assets\/search\.js.*$/, "");
  }

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1; });
  }

  function score(record, terms) {
    var hay = (record.section + " " + record.text).toLowerCase();
    var head = (record.page + " " + record.section).toLowerCase();
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], n = 0, at = hay.indexOf(t);
      if (at < 0) { return 0; }  // every word must occur
      while (at >= 0 && n < 20) { n++; at = hay.indexOf(t, at + t.length); }
      total += n + (head.indexOf(t) >= 0 ? 10 : 0);
    }
    return total;
  }

  function snippet(text, term) {
    var at = text.toLowerCase().indexOf(term);
    var start = Math.max(0, at - 60);
    return (start > 0 ? "…" : "") + text.slice(start, start + 180) + "…";
  }

  /* The edition of the page the reader is on: its results link to the same edition. */
  function edition() {
    return /\/instructor\/[^\/]*$/.test(window.location.pathname) ? "instructor" : "student";
  }

  function search(query, wanted) {
    var index = window.LESSONS_SEARCH_INDEX || [];
    var terms = words(query);
    if (!terms.length) { return []; }
    wanted = wanted || edition();
    return index.filter(function (r) { return !r.edition || r.edition === wanted; })
      .map(function (r) { return [score(r, terms), r]; })
      .filter(function (p) { return p[0] > 0; })
      .sort(function (a, b) { return b[0] - a[0]; })
      .slice(0, MAX)
      .map(function (p) { return p[1]; });
  }

  function show(list, query, results, root) {
    list.textContent = "";
    if (!query.trim()) { return; }
    if (!results.length) {
      var none = document.createElement("li");
      none.textContent = "No section mentions every word of “" + query + "”.";
      list.appendChild(none);
      return;
    }
    var first = words(query)[0];
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.href;
      a.textContent = r.page + " — " + r.section;
      var p = document.createElement("p");
      p.textContent = snippet(r.text, first);
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  /* Sidebar and previous/next links to lessons this site holds no page for (a partial
     render) become plain text, so no link leads nowhere. */
  function markMissing() {
    var pages = window.LESSONS_SITE_PAGES;
    if (!pages) { return; }
    var parts = window.location.pathname.split("/");
    var folder = parts.length > 1 ? parts[parts.length - 2] : "";
    document.querySelectorAll(".lessons-sidebar li a, .lessons-pager a").forEach(function (a) {
      var href = a.getAttribute("href");
      if (!href || href.indexOf("/") >= 0 || href.charAt(0) === "#") { return; }
      if (pages.indexOf(folder + "/" + href) < 0) {
        var span = document.createElement("span");
        span.className = "lessons-unrendered";
        span.textContent = a.textContent + " (not rendered)";
        a.parentNode.replaceChild(span, a);
      }
    });
  }

  function setup() {
    markMissing();
    var input = document.getElementById("lessons-search-input");
    var list = document.getElementById("lessons-search-results");
    if (!input || !list) { return; }
    var root = siteRoot();
    input.addEventListener("input", function () {
      show(list, input.value, search(input.value), root);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        var link = list.querySelector("a");
        if (link) { link.focus(); e.preventDefault(); }
      }
    });
    list.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && at < links.length - 1) { links[at + 1].focus(); e.preventDefault(); }
      if (e.key === "ArrowUp") { (at > 0 ? links[at - 1] : input).focus(); e.preventDefault(); }
    });
  }

  /* Charts inside a collapsed block (a "Go deeper" or "Reveal the model's answer"
     <details>) were laid out at zero width: size them when the block opens. */
  function resizeOnOpen() {
    document.addEventListener("toggle", function (e) {
      var box = e.target;
      if (!box.open || !window.Plotly) { return; }
      box.querySelectorAll(".js-plotly-plot").forEach(function (el) { window.Plotly.Plots.resize(el); });
    }, true);
  }

  /* Handouts: print every collapsed block open, and restore them afterwards. */
  function printOpen() {
    var closed = [];
    window.addEventListener("beforeprint", function () {
      closed = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
      closed.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      closed.forEach(function (d) { d.open = false; });
    });
  }

  window.LessonsSearch = { search: search, words: words };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else { setup(); }
  resizeOnOpen();
  printOpen();
})();
