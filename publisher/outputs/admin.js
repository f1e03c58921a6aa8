// The town's additions to Decap CMS, loaded by index.html after decap-cms.js (copied there by
// publisher/outputs/admin.py; the rules and phrases come from admin_rules.py and admin.py).
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("town-admin").textContent);
  var FILE_NAME = settings.fileName;
  var MOMENT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/; // how the form writes a date-time

  function empty(v) {
    return v === undefined || v === null || v === "" || (v && v.size === 0 && typeof v.toJS === "function");
  }

  // Rules between fields (admin_rules.py). Decap checks `required` and `pattern` of every field
  // when the form is saved and shows each message at its field until that field is changed; a
  // widget's own isValid is asked at the same moment, so these widgets add the rules of their
  // field to that check. "PRESENCE" makes Decap also say so at the top (ui.toast.missingRequiredField).
  function broken(rule, value, data) {
    if (rule.kind === "needs") {
      return !empty(data.get(rule.other)) === rule.other_filled && !empty(value) !== rule.filled;
    }
    var other = data.get(rule.other);
    if ((rule.unless && !empty(data.get(rule.unless))) || !MOMENT.test(value) || !MOMENT.test(other)) {
      return false; // other spellings of a date are left to publisher check
    }
    return rule.same_ok ? value < other : value <= other;
  }

  function registerWithRules(base) {
    var inner = CMS.getWidget(base);
    var control = createClass({
      isValid: function () {
        var data = this.props.getEntry().get("data");
        var rules = this.props.field.get("rules").toJS();
        for (var i = 0; i < rules.length; i++) {
          if (broken(rules[i], this.props.value, data)) {
            return { error: { type: "PRESENCE", message: rules[i].message } };
          }
        }
        return this.inner && this.inner.isValid ? this.inner.isValid() : true;
      },
      keepInner: function (instance) {
        this.inner = instance;
      },
      render: function () {
        return h(inner.control, Object.assign({}, this.props, { ref: this.keepInner }));
      },
    });
    var schema = { properties: Object.assign({ rules: { type: "array" } }, (inner.schema || {}).properties) };
    CMS.registerWidget(base + "-with-rules", control, inner.preview, schema);
  }
  ["string", "datetime"].forEach(registerWithRules);

  // The file name: a text box with the field's pattern for a new item; an existing file keeps its
  // name (Decap never renames it), so its name is shown instead of an empty box.
  var StringControl = CMS.getWidget("string").control;
  CMS.registerWidget(
    "file-name",
    createClass({
      render: function () {
        var entry = this.props.getEntry();
        if (entry.get("newRecord")) {
          return h(StringControl, this.props);
        }
        var name = (entry.get("path") || "").split("/").pop();
        var greyed = { backgroundColor: "#eff0f4" }; // not a box to type in
        return h(
          "p",
          { id: this.props.forID, className: this.props.classNameWrapper, style: greyed },
          settings.keptName.replace("%{name}", name),
        );
      },
    }),
  );

  // Before saving: drop emptied fields (an emptied date would fail the check); a new item without
  // a file name is named by its date (a page: today), as `publisher new` names it (Decap adds
  // -1, -2 when the name is taken; publisher new goes on to the next free number itself).
  function clean(v) {
    if (v && typeof v.toJS === "function" && typeof v.filter === "function") {
      return v.map(clean).filter(function (x) { return !empty(x); });
    }
    return typeof v === "string" && v.trim() === "" ? "" : v;
  }
  function today() {
    var now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map(function (n) { return String(n).padStart(2, "0"); })
      .join("-");
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var data = event.entry.get("data");
      var body = data.get("body");
      var cleaned = clean(data.delete("body")).set("body", body || "");
      if (!event.entry.get("newRecord")) {
        return cleaned.delete(FILE_NAME);
      }
      var date = String(cleaned.get("date") || "");
      return empty(cleaned.get(FILE_NAME))
        ? cleaned.set(FILE_NAME, /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : today())
        : cleaned;
    },
  });

  // Decap writes every field of the form into the file, and the file name is no front-matter key
  // (publisher check would refuse it): Decap names the file from it, then the text each backend is
  // given to store goes without that line. "proxy" is the local backend (decap-server).
  var FILE_NAME_LINE = new RegExp("^(---\\n(?:(?!---\\n).*\\n)*?)" + FILE_NAME + ":.*\\n");
  ["github", "proxy"].forEach(function (name) {
    var backend = CMS.getBackend(name);
    if (!backend) {
      return;
    }
    var init = backend.init;
    backend.init = function () {
      var implementation = init.apply(this, arguments);
      var persist = implementation.persistEntry;
      implementation.persistEntry = function (entry, options) {
        entry.dataFiles.forEach(function (file) {
          file.raw = file.raw.replace(FILE_NAME_LINE, "$1");
        });
        return persist.call(implementation, entry, options);
      };
      return implementation;
    };
  });

  // Phrases Decap's Japanese translation lacks (it would show them in English), and two it words
  // for other forms: the summary above refused fields, and a pattern's message said as written.
  var ja = CMS.getLocale("ja");
  Object.keys(settings.phrases).forEach(function (path) {
    var keys = path.split("."), node = ja;
    keys.slice(0, -1).forEach(function (key) { node = node[key] = node[key] || {}; });
    node[keys[keys.length - 1]] = settings.phrases[path];
  });
  CMS.registerLocale("ja", ja);
  CMS.init();
})();
