// ふりがな and 読み上げ (theme/partials/reading-tools.html). ふりがな: readings made at build time
// into a small file beside the page (publisher/outputs/furigana.py), fetched only when turned on;
// the choice is kept in town-prefs.js's entry. 読み上げ: shown where the browser has a Japanese
// voice (voices may arrive late); the reader (town-speech.js, named by the button) loads on the
// first press.
(function () {
  "use strict";
  var KEY = "town-prefs", SKIP = "script,style,rt,rp,ruby,svg,textarea,template,noscript";
  var article = document.querySelector("article.md-content__inner");
  var furigana = document.getElementById("town-furigana");
  var speech = document.getElementById("town-speech");
  var synth = window.speechSynthesis, root = document.documentElement;
  var loading = null;
  if (!article) return;
  function prefs() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
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
    furigana.setAttribute("aria-pressed", on);
    root.classList.toggle("town-furigana", on);
    if (!on || loading) return;
    loading = fetch(furigana.dataset.readings)
      .then(function (response) { if (!response.ok) throw response.status; return response.json(); })
      .then(function (file) { annotate(file.t || {}); })
      .catch(function () { loading = null; show(false); });
  }
  if (furigana && window.fetch) {
    furigana.addEventListener("click", function () {
      var on = furigana.getAttribute("aria-pressed") !== "true", saved = prefs();
      saved.furigana = on;
      try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* private mode: this page only */ }
      show(on);
    });
    furigana.hidden = false;
    if (prefs().furigana) show(true);
  }
  if (!speech || !synth || !window.SpeechSynthesisUtterance) return;
  function voice() {
    return synth.getVoices().filter(function (v) { return /^ja([-_]|$)/i.test(v.lang); })[0] || null;
  }
  function offer() { speech.hidden = !voice(); }
  speech.addEventListener("click", function () {
    if (window.townSpeech) return window.townSpeech(article, speech, voice());
    var reader = document.createElement("script");
    reader.src = speech.dataset.reader;
    reader.onload = function () { window.townSpeech(article, speech, voice()); };
    document.head.append(reader);
  });
  offer();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", offer);
  else synth.onvoiceschanged = offer;
})();
