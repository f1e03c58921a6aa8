// ふりがな: readings over the kanji of the main text. They are made at build time into a small
// file beside the page (publisher/outputs/furigana.py) that is fetched only when a resident turns
// them on; the choice is kept with the other display preferences (town-prefs.js's entry).
(function () {
  "use strict";
  var KEY = "town-prefs";
  var SKIP = "script,style,rt,rp,ruby,svg,textarea,template,noscript";
  var button = document.getElementById("town-furigana");
  var article = document.querySelector("article.md-content__inner");
  var root = document.documentElement;
  var loading = null;
  if (!button || !article || !window.fetch) return;
  function prefs() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function remember(on) {
    var saved = prefs();
    saved.furigana = on;
    try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode: this page only */ }
  }
  // The file maps a text node's text to its ruby, [start, end, reading] in UTF-16 units.
  function annotate(readings) {
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT), found = [], node;
    while ((node = walker.nextNode())) {
      if (Object.prototype.hasOwnProperty.call(readings, node.data) && !node.parentNode.closest(SKIP)) found.push(node);
    }
    found.forEach(function (text) {
      var parts = document.createDocumentFragment(), data = text.data, at = 0;
      readings[data].forEach(function (r) {
        var ruby = document.createElement("ruby"), rt = document.createElement("rt");
        ruby.className = "town-ruby";
        rt.textContent = r[2];
        ruby.append(data.slice(r[0], r[1]), rt);
        parts.append(data.slice(at, r[0]), ruby);
        at = r[1];
      });
      parts.append(data.slice(at));
      text.replaceWith(parts);
    });
  }
  function show(on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    root.classList.toggle("town-furigana", on);
    if (!on || loading) return;
    loading = fetch(button.dataset.readings)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (file) { annotate(file.t || {}); })
      .catch(function () { loading = null; button.setAttribute("aria-pressed", "false"); root.classList.remove("town-furigana"); });
  }
  button.addEventListener("click", function () {
    var on = button.getAttribute("aria-pressed") !== "true";
    remember(on);
    show(on);
  });
  button.hidden = false;
  if (prefs().furigana) show(true);
})();
