// Site search on the search page only: Pagefind's index is fetched when a query is made,
// never on ordinary page loads. Results are rendered as the site's own list markup.
// The query is folded (town-fold.js) and asked with each synonym; the results are merged.
import { fold, queries } from "./town-fold.js";

(function () {
  "use strict";
  var form = document.getElementById("town-search-form");
  var input = document.getElementById("town-search-input");
  var status = document.getElementById("town-search-status");
  var list = document.getElementById("town-search-results");
  if (!form || !input) return;
  var root = new URL(form.dataset.root, window.location.href);
  var synonyms = JSON.parse(form.dataset.synonyms || "[]");
  var pagefind = null;
  // Dakuten are letters in Japanese: ご is not こ (Pagefind's default matches across them).
  // Folded words of a page (publisher/outputs/fold.py) weigh as other metadata; titles more.
  var OPTIONS = { baseUrl: root.pathname, excerptLength: 40, exactDiacritics: true,
    ranking: { metaWeights: { title: 5, fold: 1 } } };

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }
  async function load() {
    if (!pagefind) {
      var engine = await import(new URL("pagefind/pagefind.js", root).href);
      await engine.options(OPTIONS);
      // Posts are indexed in one shard per year (kept between builds); merge them in.
      var shards = (form.dataset.shards || "").split(" ").filter(Boolean);
      await Promise.all(shards.map(function (folder) {
        return engine.mergeIndex(new URL(folder, root).pathname, OPTIONS);
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
  // The excerpt, built here rather than by Pagefind: a page found by a folded word (ゴミ for
  // ごみ) has the match in its metadata, so Pagefind's excerpt would start anywhere, unmarked.
  // Marked: every word whose folded form starts with a word of the query (Pagefind's own marks
  // would include the single kana ICU cuts from a query typed in the other script: す, ぱ).
  var LENGTH = 40;
  function excerpt(data, words) {
    var tokens = data.content.split(/\s+/).filter(Boolean);
    var marked = tokens.map(function (token) {
      var folded = fold(token);
      return words.some(function (w) { return folded.startsWith(w); });
    });
    var start = densest(marked);
    return joinExcerpt(tokens.slice(start, start + LENGTH).map(function (token, n) {
      return marked[start + n] ? "<mark>" + escapeText(token) + "</mark>" : escapeText(token);
    }).join(" "));
  }
  // Where the window of LENGTH words holding most marks starts (the middle one of equals), as Pagefind picks it.
  function densest(marked) {
    if (marked.length <= LENGTH) return 0;
    var sum = marked.slice(0, LENGTH).filter(Boolean).length, best = sum, at = [0];
    for (var i = 1; i + LENGTH <= marked.length; i++) {
      sum += (marked[i + LENGTH - 1] ? 1 : 0) - (marked[i - 1] ? 1 : 0);
      if (sum > best) { best = sum; at = [i]; } else if (sum === best && at[at.length - 1] === i - 1) at.push(i);
    }
    return at[Math.floor(at.length / 2)];
  }
  function meta(data) {
    // Page metadata, not filters: Pagefind writes filter values in a different order each
    // build, and the same site must give the same files.
    var date = data.meta.date, category = data.meta.category;
    if (!date && !category) return "";
    return '<p class="town-list__meta">' + (date ? "<span>" + escapeText(date) + "</span> " : "") +
      (category ? '<span class="town-badge">' + escapeText(category) + "</span>" : "") + "</p>";
  }
  function render(items, words) {
    list.insertAdjacentHTML("beforeend", items.map(function (data) {
      return '<li class="town-list__item">' + meta(data) + '<p class="town-list__title"><a href="' + escapeText(data.url) + '">' +
        escapeText(joinTitle(data.meta.title || data.url)) + '</a></p><p class="town-list__summary">' +
        excerpt(data, words) + "</p></li>";
    }).join(""));
  }
  var words = [];  // folded: the query's parts as typed and the words of every query asked, for the marks
  async function showMore() {
    var step = pending.splice(0, PAGE);
    render(await Promise.all(step.map(function (r) { return r.data(); })), words);
    more.hidden = pending.length === 0;
  }
  // Each query (the folded one and its synonyms) asked; a page found by several keeps its best
  // score. With synonyms, a query whose words are on no page is dropped: Pagefind would answer
  // it with pages holding any one of its characters (お年寄り: every page with 年).
  async function ask(engine, asked) {
    var searches = await Promise.all(asked.map(function (q) { return engine.search(q); }));
    var kept = asked.length > 1 ? await Promise.all(searches.map(function (search, n) {
      return holds(search.results[0], asked[n]);
    })) : [true];
    var best = new Map();
    searches.forEach(function (search, n) {
      if (kept[n]) search.results.forEach(function (r) {
        if (!best.has(r.id) || best.get(r.id).score < r.score) best.set(r.id, r);
      });
    });
    return Array.from(best.values()).sort(function (a, b) { return b.score - a.score; });
  }
  function squash(text) {
    return fold(text).replace(/[^\p{L}\p{N}]/gu, "");
  }
  // Whether the best page found holds each word of the query (or matched by its folded words alone).
  async function holds(result, query) {
    if (!result) return false;
    var data = await result.data();
    if (!data.locations.length) return true;
    var tokens = data.content.split(/\s+/).filter(Boolean);
    var found = data.locations.map(function (n) { return squash(tokens[n] || ""); });
    return query.split(" ").every(function (w) {
      return found.some(function (t) { return t.includes(squash(w)); });
    });
  }
  async function run(query) {
    list.innerHTML = "";
    more.hidden = true;
    var asked = queries(query, synonyms, 8);
    if (!asked.length) { status.textContent = "検索する言葉を入力してください。"; return; }
    status.textContent = "検索しています…";
    words = Array.from(new Set(query.split(/\s+/).map(fold).concat(asked.join(" ").split(" ").filter(function (w) {
      return w.length > 1;
    })).filter(Boolean)));
    pending = await ask(await load(), asked);
    status.textContent = pending.length
      ? "「" + query + "」の検索結果: " + pending.length + " 件"
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
