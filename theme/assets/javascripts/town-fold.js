// Spelling folded for site search: the browser's copy of publisher/outputs/fold.py (NFKC, lower
// case, katakana as hiragana, a final ー dropped). tests/test_search_fold.py runs both on the
// same samples, so change them together.
var KATAKANA = /[\u30a1-\u30f6\u30fd\u30fe]/g;  // ァ..ヶ ヽヾ: the hiragana are 0x60 lower
var WORDS = new Intl.Segmenter("ja", { granularity: "word" });  // ICU, as publisher/outputs/words.py

export function fold(word) {
  return word.normalize("NFKC").toLowerCase()
    .replace(KATAKANA, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); })
    .replace(/\u30fc+$/, "");
}

// The words of a query, split where the index split the pages (before folding, as the build
// did), each folded; those without a letter or digit (blanks, punctuation) left out.
export function foldedWords(query) {
  return Array.from(WORDS.segment(query), function (s) { return fold(s.segment); })
    .filter(function (word) { return /[\p{L}\p{N}]/u.test(word); });
}

// What to ask Pagefind for a query: its folded words, and the same with each synonym group's
// word it contains replaced by the others of the group (`groups` from mkdocs.yml), at most `limit`.
export function queries(query, groups, limit) {
  var base = foldedWords(query).join(" ");
  var found = [base];
  groups.forEach(function (group) {
    var members = group.map(function (word) { return foldedWords(word).join(" "); }).filter(Boolean);
    var hit = members.find(function (m) { return (" " + base + " ").includes(" " + m + " "); });
    if (!hit) return;
    found = found.flatMap(function (q) {
      return [q].concat(members.filter(function (m) { return m !== hit; }).map(function (m) {
        return (" " + q + " ").replace(" " + hit + " ", " " + m + " ").trim();
      }));
    });
  });
  return Array.from(new Set(found.filter(Boolean))).slice(0, limit);
}
