// 読み上げ, loaded by town-reading.js on the first press: the main text read aloud by the
// browser's own speech synthesis (ja-JP), one sentence at a time with that sentence highlighted;
// 一時停止/再開 and 停止 in a bar that stays on screen. No server, no other host. Readings
// (ふりがな) are never read: <rt> is skipped.
(function () {
  "use strict";
  var SKIP = "script,style,rt,rp,svg,textarea,template,noscript,nav,button,[hidden],[aria-hidden=true]";
  var BLOCK = "p,li,dt,dd,h1,h2,h3,h4,h5,h6,th,td,caption,figcaption,blockquote,pre,div,section,table,article";
  var END = /[。！？!?]/;
  var synth = window.speechSynthesis;
  var article, button, voice, panel, pauseButton, sentences = [], current = -1, paused = false, run = 0;

  // Sentences as text and a Range over it: a block's text is cut after 。！？.
  function collect() {
    var list = [], walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT), node, open = null, block;
    function close() {
      if (open) list.push(open);
      open = null;
    }
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest(SKIP)) continue;
      var here = node.parentNode.closest(BLOCK);
      if (here !== block) { close(); block = here; }
      for (var i = 0; i < node.data.length; i++) {
        var c = node.data.charAt(i);
        if (!open) {
          if (/\s/.test(c)) continue;
          open = { text: "", range: document.createRange() };
          open.range.setStart(node, i);
        }
        open.text += c;
        open.range.setEnd(node, i + 1);
        if (END.test(c)) close();
      }
    }
    close();
    return list;
  }
  function mark(sentence) {
    var old = article.querySelector(".town-speech-now");
    if (old) old.classList.remove("town-speech-now");
    if (window.CSS && CSS.highlights && window.Highlight) {
      if (sentence) CSS.highlights.set("town-speech", new Highlight(sentence.range));
      else CSS.highlights.delete("town-speech");
    } else if (sentence) {
      sentence.range.startContainer.parentNode.closest(BLOCK).classList.add("town-speech-now");
    }
    if (!sentence) return;
    var box = sentence.range.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight - 100) window.scrollBy(0, box.top - window.innerHeight / 3);
  }
  function speak(n) {
    current = n;
    if (n >= sentences.length) return stop();
    var utterance = new SpeechSynthesisUtterance(sentences[n].text), id = run;
    utterance.lang = "ja-JP";
    try { utterance.voice = voice; } catch (e) { /* the lang is enough */ }
    // A cancelled run's last sentence ends (or fails) after the next run has begun: ignored.
    utterance.onend = function () { if (id === run && current === n) speak(n + 1); };
    utterance.onerror = function () { if (id === run && current === n) stop(); };
    mark(sentences[n]);
    synth.speak(utterance);
  }
  function stop() {
    run += 1;
    current = -1;
    paused = false;
    synth.cancel();
    mark(null);
    panel.hidden = true;
    pauseButton.textContent = "一時停止";
  }
  function control(label, act) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "town-tools__button";
    b.textContent = label;
    b.addEventListener("click", act);
    panel.append(b);
    return b;
  }
  function build() {
    panel = document.createElement("div");
    panel.className = "town-speech";
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", "読み上げの操作");
    pauseButton = control("一時停止", function () {
      paused = !paused;
      if (paused) synth.pause(); else synth.resume();
      pauseButton.textContent = paused ? "再開" : "一時停止";
    });
    control("停止", function () { stop(); button.focus(); });
    (document.querySelector("main") || document.body).append(panel);
    window.addEventListener("pagehide", function () { if (current >= 0) stop(); });
  }
  window.townSpeech = function (text, control, japanese) {
    article = text;
    button = control;
    voice = japanese;
    if (!panel) build();
    stop();
    sentences = collect();
    if (!sentences.length) return;
    panel.hidden = false;
    pauseButton.focus();
    speak(0);
  };
})();
