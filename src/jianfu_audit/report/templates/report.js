"use strict";
(function () {
  document.documentElement.classList.add("js");
  var filters = document.getElementById("filters");
  var popup = document.getElementById("popup");
  var popupBody = document.getElementById("popup-body");

  function all(selector, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(selector));
  }

  function checked(name) {
    return all('input[name="' + name + '"]:checked', filters).map(function (box) { return box.value; });
  }

  // Show only findings (and highlights) of the checked severities and categories.
  function applyFilters() {
    if (!filters) return;
    var severities = checked("severity");
    var categories = checked("category");
    var visible = {};
    var shown = 0;
    all("li.finding").forEach(function (item) {
      var on = severities.indexOf(item.dataset.severity) >= 0 && categories.indexOf(item.dataset.category) >= 0;
      item.hidden = !on;
      visible[item.id] = on;
      if (on) shown += 1;
    });
    all("mark.hl").forEach(function (mark) {
      var on = mark.dataset.f.split(" ").some(function (id) { return visible[id]; });
      mark.classList.toggle("off", !on);
    });
    all("[data-count]").forEach(function (badge) {
      var items = all("li.finding", document.getElementById(badge.dataset.count));
      var on = items.filter(function (item) { return !item.hidden; }).length;
      badge.textContent = on === items.length ? items.length + " 处问题" : "显示 " + on + " / " + items.length + " 处问题";
    });
    document.getElementById("shown").textContent = "当前显示 " + shown + " 处问题";
    hidePopup();
  }

  function showPopup(mark) {
    popupBody.textContent = "";
    mark.dataset.f.split(" ").forEach(function (id) {
      var item = document.getElementById(id);
      if (item && !item.hidden) {
        var copy = item.cloneNode(true);
        copy.removeAttribute("id");
        popupBody.appendChild(copy);
      }
    });
    if (!popupBody.children.length) return;
    all("li.finding.active").forEach(function (item) { item.classList.remove("active"); });
    mark.dataset.f.split(" ").forEach(function (id) {
      var item = document.getElementById(id);
      if (item) item.classList.add("active");
    });
    popup.hidden = false;
  }

  function hidePopup() {
    popup.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark.hl");
    if (mark && !mark.classList.contains("off")) {
      showPopup(mark);
      return;
    }
    var link = event.target.closest("[data-goto]");
    if (link) {
      event.preventDefault();
      var target = document.querySelector('mark.hl[data-f~="' + link.dataset.goto + '"]');
      if (target) {
        target.scrollIntoView({ block: "center" });
        target.classList.add("flash");
        setTimeout(function () { target.classList.remove("flash"); }, 1500);
      }
      return;
    }
    var docLink = event.target.closest('.docs a[href^="#"]');
    if (docLink) {
      var details = document.getElementById(docLink.getAttribute("href").slice(1));
      if (details) details.open = true;
    }
    if (!event.target.closest("#popup")) hidePopup();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hidePopup();
    if ((event.key === "Enter" || event.key === " ") && event.target.matches && event.target.matches("mark.hl")) {
      event.preventDefault();
      showPopup(event.target);
    }
  });

  document.getElementById("popup-close").addEventListener("click", hidePopup);
  if (filters) filters.addEventListener("change", applyFilters);
  applyFilters();

  // Sortable document table: click a column header; click again to reverse.
  var table = document.getElementById("docs");
  all("th button", table).forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentElement;
      var column = Array.prototype.indexOf.call(th.parentElement.children, th);
      var numeric = button.dataset.sort === "number";
      var descending = th.getAttribute("aria-sort") === "ascending";
      all("th", table).forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value;
        var y = b.cells[column].dataset.value;
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
