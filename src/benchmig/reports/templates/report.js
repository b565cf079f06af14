/* benchmig reports: sortable, filterable, paginated tables rendered from embedded JSON.
   Data is only ever inserted with textContent / createElement: file names are hostile. */
(function () {
  "use strict";

  var idiomKinds = [];

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    var data = JSON.parse(node.textContent);
    var fields = data.fields;
    if (data.kinds) { idiomKinds = data.kinds; }
    return data.rows.map(function (row, index) {
      var item = { _index: index };
      for (var i = 0; i < fields.length; i++) { item[fields[i]] = row[i]; }
      return item;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function fmtInt(value) {
    return value === null || value === undefined ? "" : Number(value).toLocaleString("en-US");
  }

  function loc(path, line) {
    return line === null || line === undefined ? path : path + ":" + line;
  }

  function compare(a, b) {
    var an = a === null || a === undefined || a === "", bn = b === null || b === undefined || b === "";
    if (an || bn) { return an === bn ? 0 : (an ? 1 : -1); }
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    if (typeof a === "boolean") { return (a ? 1 : 0) - (b ? 1 : 0); }
    return String(a).localeCompare(String(b));
  }

  /* opts: mount, rows, columns [{key, label, num, cls, render(row) -> string|Node, value(row)}],
     search [keys], facets [{key, label}], pageSize, details(row) -> Node, sort {key, dir} */
  function DataTable(opts) {
    this.opts = opts;
    this.rows = opts.rows;
    this.sort = opts.sort || null;
    this.page = 0;
    this.pageSize = opts.pageSize || 100;
    this.query = "";
    this.facetValues = {};
    this.open = {};
    this.build();
    this.refresh();
  }

  DataTable.prototype.build = function () {
    var self = this, opts = this.opts, controls = el("div", "dt-controls");
    this.input = el("input");
    this.input.type = "search";
    this.input.placeholder = opts.placeholder || "Filter…";
    this.input.setAttribute("aria-label", "filter " + (opts.name || "rows"));
    this.input.addEventListener("input", function () { self.query = self.input.value.toLowerCase(); self.page = 0; self.refresh(); });
    controls.appendChild(this.input);
    (opts.facets || []).forEach(function (facet) { controls.appendChild(self.facet(facet)); });
    this.counter = el("span", "dt-count");
    controls.appendChild(this.counter);
    var wrap = el("div", "dt-wrap"), table = el("table", "dt"), head = el("tr");
    if (opts.details) { head.appendChild(el("th", "toggle")); }
    this.headers = opts.columns.map(function (column) {
      var th = el("th", column.num ? "num" : ""), button = el("button", null, column.label);
      button.type = "button";
      button.addEventListener("click", function () { self.sortBy(column.key); });
      th.appendChild(button);
      head.appendChild(th);
      return th;
    });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    this.body = el("tbody");
    table.appendChild(this.body);
    wrap.appendChild(table);
    this.pager = el("div", "dt-pager");
    opts.mount.appendChild(controls);
    opts.mount.appendChild(wrap);
    opts.mount.appendChild(this.pager);
  };

  DataTable.prototype.facet = function (facet) {
    var self = this, label = el("label", null, facet.label + " "), select = el("select");
    var values = {};
    this.rows.forEach(function (row) { values[row[facet.key]] = (values[row[facet.key]] || 0) + 1; });
    select.appendChild(el("option", null, "all"));
    Object.keys(values).sort().forEach(function (value) {
      var option = el("option", null, value + " (" + fmtInt(values[value]) + ")");
      option.value = value;
      select.appendChild(option);
    });
    select.options[0].value = "";
    select.addEventListener("change", function () { self.facetValues[facet.key] = select.value; self.page = 0; self.refresh(); });
    label.appendChild(select);
    return label;
  };

  DataTable.prototype.setQuery = function (text) {
    this.input.value = text;
    this.query = text.toLowerCase();
    this.page = 0;
    this.refresh();
  };

  DataTable.prototype.sortBy = function (key) {
    var dir = this.sort && this.sort.key === key && this.sort.dir === "ascending" ? "descending" : "ascending";
    this.sort = { key: key, dir: dir };
    this.page = 0;
    this.refresh();
  };

  DataTable.prototype.matches = function (row) {
    var opts = this.opts, facets = this.facetValues;
    for (var key in facets) {
      if (facets[key] && String(row[key]) !== facets[key]) { return false; }
    }
    if (!this.query) { return true; }
    for (var i = 0; i < opts.search.length; i++) {
      var value = row[opts.search[i]];
      if (value !== null && value !== undefined && String(value).toLowerCase().indexOf(this.query) >= 0) { return true; }
    }
    return false;
  };

  DataTable.prototype.visible = function () {
    var self = this, rows = this.rows.filter(function (row) { return self.matches(row); });
    if (this.sort) {
      var column = this.opts.columns.filter(function (c) { return c.key === self.sort.key; })[0];
      var value = column && column.value ? column.value : function (row) { return row[self.sort.key]; };
      var sign = this.sort.dir === "ascending" ? 1 : -1;
      rows.sort(function (a, b) { return sign * compare(value(a), value(b)) || a._index - b._index; });
    }
    return rows;
  };

  DataTable.prototype.refresh = function () {
    var self = this, rows = this.visible(), pages = Math.max(1, Math.ceil(rows.length / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    this.headers.forEach(function (th, i) {
      var key = self.opts.columns[i].key;
      if (self.sort && self.sort.key === key) { th.setAttribute("aria-sort", self.sort.dir); } else { th.removeAttribute("aria-sort"); }
    });
    var shown = rows.slice(this.page * this.pageSize, (this.page + 1) * this.pageSize);
    var body = el("tbody");
    shown.forEach(function (row) { self.renderRow(body, row); });
    this.body.parentNode.replaceChild(body, this.body);
    this.body = body;
    this.counter.textContent = fmtInt(rows.length) + " of " + fmtInt(this.rows.length) + " " + (this.opts.name || "rows");
    this.renderPager(pages);
  };

  DataTable.prototype.renderRow = function (body, row) {
    var self = this, opts = this.opts, tr = el("tr", opts.details ? "dt-row" : "");
    if (opts.details) {
      var isOpen = !!this.open[row._index];
      tr.appendChild(el("td", "toggle", isOpen ? "▾" : "▸"));
      if (isOpen) { tr.className += " open"; }
      tr.addEventListener("click", function () { self.open[row._index] = !self.open[row._index]; self.refresh(); });
    }
    opts.columns.forEach(function (column) {
      var td = el("td", (column.num ? "num " : "") + (column.cls || ""));
      var value = column.render ? column.render(row) : row[column.key];
      if (value instanceof Node) { td.appendChild(value); } else if (value !== null && value !== undefined) {
        td.textContent = column.num && typeof value === "number" ? fmtInt(value) : String(value);
      }
      tr.appendChild(td);
    });
    body.appendChild(tr);
    if (opts.details && this.open[row._index]) {
      var detail = el("tr", "dt-detail"), cell = el("td");
      cell.colSpan = opts.columns.length + 1;
      cell.appendChild(opts.details(row));
      detail.appendChild(cell);
      body.appendChild(detail);
    }
  };

  DataTable.prototype.renderPager = function (pages) {
    var self = this, pager = this.pager;
    while (pager.firstChild) { pager.removeChild(pager.firstChild); }
    if (pages <= 1) { return; }
    var prev = el("button", null, "‹ previous"), next = el("button", null, "next ›");
    prev.type = next.type = "button";
    prev.disabled = this.page === 0;
    next.disabled = this.page >= pages - 1;
    prev.addEventListener("click", function () { self.page -= 1; self.refresh(); });
    next.addEventListener("click", function () { self.page += 1; self.refresh(); });
    pager.appendChild(prev);
    pager.appendChild(el("span", null, "page " + (this.page + 1) + " of " + pages));
    pager.appendChild(next);
  };

  function badge(text, className) { return el("span", "badge " + className, text); }

  function chips(kinds, className) {
    var counts = {}, order = [], span = el("span"), limit = 6;
    kinds.forEach(function (kind) { if (!counts[kind]) { order.push(kind); } counts[kind] = (counts[kind] || 0) + 1; });
    order.slice(0, limit).forEach(function (kind) {
      span.appendChild(el("span", "chip " + (className || ""), counts[kind] > 1 ? kind + " ×" + counts[kind] : kind));
    });
    if (order.length > limit) { span.appendChild(el("span", "note", "+" + (order.length - limit) + " more")); }
    return span;
  }

  function listBlock(title, items, empty) {
    var block = el("div"), list = el("ul");
    block.appendChild(el("h4", null, title));
    if (!items.length) { block.appendChild(el("div", "note", empty)); return block; }
    items.forEach(function (item) { list.appendChild(item); });
    block.appendChild(list);
    return block;
  }

  function located(path, line, label, text) {
    var li = el("li");
    li.appendChild(el("span", "loc", loc(path, line)));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("strong", null, label));
    if (text) { li.appendChild(document.createTextNode(" — " + text)); }
    return li;
  }

  function fileDetails(row) {
    var grid = el("div", "detail-grid");
    var blockers = row.blockers.map(function (b) { return located(row.path, b[1], b[0], b[2]); });
    var idioms = row.idioms.map(function (i) {
      var scope = row.scopes[i[3]];
      return located(row.path, i[1], idiomKinds[i[0]], [i[2], scope && scope !== "<module>" ? "in " + scope : ""].filter(Boolean).join(" "));
    });
    var left = listBlock("Blockers (" + blockers.length + ")", blockers, "none: nothing stops an automatic migration");
    var facts = [];
    if (row.error) { facts.push(el("li", null, "error: " + row.error)); }
    facts.push(el("li", null, "codemods: " + (row.codemods.length ? row.codemods.join(", ") : "none")));
    facts.push(el("li", null, "unit: " + row.unit + " · status: " + row.status + " · confidence: " + row.confidence));
    if (row.cluster) { facts.push(el("li", null, "duplicate cluster: " + row.cluster)); }
    if (row.step !== null) { facts.push(el("li", null, "migration step " + fmtInt(row.step) + " (wave " + row.wave + ")")); }
    left.appendChild(listBlock("Migration", facts, ""));
    grid.appendChild(left);
    grid.appendChild(listBlock("Idioms (" + idioms.length + ")", idioms, "no benchmark idioms found"));
    return grid;
  }

  var tables = {};

  function initFiles() {
    var mount = document.getElementById("files-table"), rows = readData("files-data");
    if (!mount || !rows) { return; }
    tables.files = new DataTable({
      mount: mount, rows: rows, name: "files", pageSize: 100, placeholder: "Filter by path…",
      search: ["path"], details: fileDetails,
      facets: [{ key: "role", label: "role" }, { key: "strategy", label: "strategy" }, { key: "status", label: "status" }],
      columns: [
        { key: "path", label: "file", cls: "path" },
        { key: "role", label: "role", render: function (r) { return badge(r.role, "r-" + r.role); } },
        { key: "idioms", label: "idioms", value: function (r) { return r.idioms.length; },
          render: function (r) { return chips(r.idioms.map(function (i) { return idiomKinds[i[0]]; })); } },
        { key: "complexity", label: "complexity", num: true },
        { key: "lines", label: "lines", num: true },
        { key: "strategy", label: "strategy", value: function (r) { return r.strategy + r.confidence; },
          render: function (r) { return badge(r.strategy + " " + Number(r.confidence).toFixed(2), "s-" + r.strategy); } },
        { key: "blockers", label: "blockers", value: function (r) { return r.blockers.length; },
          render: function (r) { return chips(r.blockers.map(function (b) { return b[0]; }), "blocker"); } },
        { key: "step", label: "order", num: true }
      ]
    });
  }

  function initFailures() {
    var mount = document.getElementById("failures-table"), rows = readData("failures-data");
    if (!mount || !rows) { return; }
    tables.failures = new DataTable({
      mount: mount, rows: rows, name: "files", pageSize: 50, search: ["path", "reason", "message"],
      facets: [{ key: "reason", label: "reason" }],
      columns: [
        { key: "path", label: "file", cls: "path", render: function (r) { return loc(r.path, r.line); } },
        { key: "status", label: "status" }, { key: "reason", label: "reason" },
        { key: "message", label: "message" }
      ]
    });
  }

  function initUnresolved() {
    var mount = document.getElementById("unresolved-table"), rows = readData("unresolved-data");
    if (!mount || !rows) { return; }
    tables.unresolved = new DataTable({
      mount: mount, rows: rows, name: "imports", pageSize: 50, search: ["path", "module", "reason"],
      facets: [{ key: "kind", label: "kind" }, { key: "guarded", label: "guarded" }],
      columns: [
        { key: "path", label: "where", cls: "path", render: function (r) { return loc(r.path, r.line); } },
        { key: "module", label: "module or script", cls: "path" }, { key: "kind", label: "kind" },
        { key: "guarded", label: "guarded", render: function (r) { return r.guarded ? "yes (fallback exists)" : "no"; } },
        { key: "reason", label: "reason" }
      ]
    });
  }

  function initClusters() {
    var mount = document.getElementById("clusters-table"), rows = readData("clusters-data");
    if (!mount || !rows) { return; }
    tables.clusters = new DataTable({
      mount: mount, rows: rows, name: "clusters", pageSize: 50, search: ["id", "representative"],
      sort: { key: "size", dir: "descending" },
      details: function (r) {
        return listBlock("Members (" + r.members.length + ")", r.members.map(function (m) { return el("li", "loc", m); }), "");
      },
      columns: [
        { key: "id", label: "cluster" }, { key: "size", label: "files", num: true },
        { key: "representative", label: "representative", cls: "path" },
        { key: "similarity", label: "similarity", num: true, render: function (r) { return r.exact ? "identical" : Number(r.similarity).toFixed(2); } }
      ]
    });
  }

  function initOrder() {
    var node = document.getElementById("order-data"), mount = document.getElementById("order-list");
    if (!node || !mount) { return; }
    var waves = JSON.parse(node.textContent), list = el("ol", "waves");
    waves.forEach(function (wave, index) {
      var item = el("li"), details = el("details"), summary = el("summary", null, "Wave " + wave.n + " ");
      summary.appendChild(el("span", "note", fmtInt(wave.files) + " file(s)" + (wave.cycles ? ", " + wave.cycles + " cycle(s)" : "")));
      details.appendChild(summary);
      details.open = index < 3;
      var steps = el("ol", "steps"), shown = 0, more = el("button", "more", "");
      more.type = "button";
      function showMore(count) {
        wave.steps.slice(shown, shown + count).forEach(function (step) {
          var li = el("li", step.cycle ? "cycle" : "", (step.cycle ? "cycle: " : "") + step.files.join(", "));
          li.value = step.n;
          steps.appendChild(li);
        });
        shown = Math.min(wave.steps.length, shown + count);
        more.textContent = "show " + Math.min(200, wave.steps.length - shown) + " more of " + fmtInt(wave.steps.length - shown);
        more.hidden = shown >= wave.steps.length;
      }
      more.addEventListener("click", function () { showMore(200); });
      showMore(40);
      details.appendChild(steps);
      details.appendChild(more);
      item.appendChild(details);
      list.appendChild(item);
    });
    mount.appendChild(list);
  }

  function initGraph() {
    var pane = document.getElementById("graph-pane");
    if (!pane) { return; }
    var svg = pane.querySelector("svg"), scale = 1;
    if (!svg) { return; }
    var width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
    function zoom(value) {
      scale = Math.max(0.1, Math.min(4, value));
      svg.setAttribute("width", String(Math.round(width * scale)));
      svg.setAttribute("height", String(Math.round(height * scale)));
    }
    function fit() { zoom(Math.max(0.6, Math.min(1, (pane.clientWidth - 4) / width))); }
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "fit") { fit(); } else { zoom(scale * (how === "in" ? 1.25 : 0.8)); }
      });
    });
    fit();
    function select(node) {
      if (!tables.files) { return; }
      tables.files.setQuery(node.getAttribute("data-filter") || "");
      document.getElementById("files").scrollIntoView();
    }
    svg.querySelectorAll("g.node").forEach(function (node) {
      node.addEventListener("click", function () { select(node); });
      node.addEventListener("keydown", function (event) { if (event.key === "Enter") { select(node); } });
    });
  }

  function initResults() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      var body = table.tBodies[0];
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
        th.addEventListener("click", function () {
          var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", dir);
          var rows = Array.prototype.slice.call(body.rows), sign = dir === "ascending" ? 1 : -1;
          rows.sort(function (a, b) {
            var x = a.cells[column].getAttribute("data-sort"), y = b.cells[column].getAttribute("data-sort");
            var nx = x === null || x === "" ? null : Number(x), ny = y === null || y === "" ? null : Number(y);
            if (nx !== null && ny !== null && !isNaN(nx) && !isNaN(ny)) { return sign * (nx - ny); }
            return sign * compare(a.cells[column].textContent, b.cells[column].textContent);
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  initFiles();
  initFailures();
  initUnresolved();
  initClusters();
  initOrder();
  initGraph();
  initResults();
})();
