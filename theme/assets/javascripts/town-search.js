// Site search on the search page only: Pagefind's index is fetched when a query is made,
// never on ordinary page loads. Results are rendered as the site's own list markup.
(function () {
  "use strict";
  var form = document.getElementById("town-search-form");
  var input = document.getElementById("town-search-input");
  var status = document.getElementById("town-search-status");
  var list = document.getElementById("town-search-results");
  if (!form || !input) return;
  var root = new URL(form.dataset.root, window.location.href);
  var pagefind = null;

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  async function load() {
    if (!pagefind) {
      var engine = await import(new URL("pagefind/pagefind.js", root).href);
      await engine.options({ baseUrl: root.pathname, excerptLength: 40 });
      // Posts are indexed in one shard per year (kept between builds); merge them in.
      var shards = (form.dataset.shards || "").split(" ").filter(Boolean);
      await Promise.all(shards.map(function (folder) {
        return engine.mergeIndex(new URL(folder, root).pathname, { baseUrl: root.pathname, excerptLength: 40 });
      }));
      pagefind = engine;
    }
    return pagefind;
  }
  var PAGE = 10;  // results fetched per step: each one is a separate small download
  var more = document.getElementById("town-search-more");
  var pending = [];

  // The index holds Japanese split into words (publisher/outputs/words.py): titles keep the hair spaces
  // put between them and excerpts show them as spaces. Both are joined back for reading, and the
  // marks that stand for ideographic spaces become them again; the character class is words.py's.
  var UNSPACED = /[\u2800\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  function unmark(text) {
    return text.replace(/\u2800/g, "\u3000");
  }
  function joinTitle(text) {
    return unmark(text.replace(/\u200a/g, ""));
  }
  // Pagefind ends a block without its own punctuation with ". ": after Japanese, an ideographic
  // space reads better. An excerpt that starts after a comma or a closing bracket drops it.
  var BLOCK_END = new RegExp("(" + UNSPACED.source + ")((?:</mark>)?)\\.((?:</mark>)?) ", "g");  // a marked word takes its "."
  function joinExcerpt(html) {
    html = html.replace(BLOCK_END, "$1$2$3\u3000").replace(/^[\u3001\u3002\uff0c\uff0e\uff09\u300d\u300f\u3011\u3015]+/, "");
    return unmark(html.replace(/([^])((?:<\/mark>)?) ((?:<mark>)?)(?=([^]))/g, function (all, before, close, open, after) {
      var join = (UNSPACED.test(before) || UNSPACED.test(after)) && !/[.,:;!?]/.test(before);  // ". " ends a block
      return before + close + (join ? "" : " ") + open;
    }));
  }
  function render(items) {
    list.insertAdjacentHTML("beforeend", items.map(function (data) {
      return '<li class="town-list__item"><p class="town-list__title"><a href="' + escapeText(data.url) + '">' +
        escapeText(joinTitle(data.meta.title || data.url)) + '</a></p><p class="town-list__summary">' +
        joinExcerpt(data.excerpt) + "</p></li>";
    }).join(""));
  }
  async function showMore() {
    var step = pending.splice(0, PAGE);
    render(await Promise.all(step.map(function (r) { return r.data(); })));
    more.hidden = pending.length === 0;
  }
  async function run(query) {
    list.innerHTML = "";
    more.hidden = true;
    if (!query.trim()) { status.textContent = "検索する言葉を入力してください。"; return; }
    status.textContent = "検索しています…";
    var engine = await load();
    var search = await engine.search(query);
    pending = search.results.slice();
    status.textContent = search.results.length
      ? "「" + query + "」の検索結果: " + search.results.length + " 件"
      : "「" + query + "」に一致するページは見つかりませんでした。言葉を変えてお試しください。";
    await showMore();
  }
  more.addEventListener("click", function () { showMore(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var query = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    run(query).catch(function () { status.textContent = "検索を読み込めませんでした。通信状況を確かめてください。"; });
  });
  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial) form.requestSubmit();
})();
