// The theme filter of a day's page: without JavaScript each theme is a link to its page;
// here a click shows only that theme's papers on this page (again: all of them), and the
// address keeps the choice (#theme=<slug>) so that a reload or a shared link keeps it too.
document.querySelectorAll("nav.theme-filter[data-filter-for]").forEach(function (nav) {
  var scope = document.getElementById(nav.getAttribute("data-filter-for"));
  var status = nav.querySelector(".filter-status");
  var links = Array.prototype.slice.call(nav.querySelectorAll("a[data-theme]"));
  if (!scope || !links.length) return;
  var items = Array.prototype.slice.call(scope.querySelectorAll("li[data-themes]"));

  function apply(slug) {
    var shown = 0;
    items.forEach(function (item) {
      var keep = !slug || (" " + item.getAttribute("data-themes") + " ").indexOf(" " + slug + " ") !== -1;
      item.hidden = !keep;
      if (keep) shown += 1;
    });
    // A theme's group in the arXiv list disappears with all its papers.
    scope.querySelectorAll("section.theme-group").forEach(function (group) {
      group.hidden = !group.querySelector("li[data-themes]:not([hidden])");
    });
    links.forEach(function (link) {
      link.setAttribute("aria-pressed", String(link.getAttribute("data-theme") === slug));
    });
    var chosen = links.filter(function (link) { return link.getAttribute("data-theme") === slug; })[0];
    status.textContent = slug && chosen ? shown + " of " + items.length + " papers: " + chosen.firstChild.textContent.trim() + ". " : "";
    if (slug && chosen) {
      var all = document.createElement("button");
      all.type = "button";
      all.className = "filter-all";
      all.textContent = "Show all papers";
      all.addEventListener("click", function () { choose(""); });
      status.appendChild(all);
    }
  }

  function choose(slug) {
    history.replaceState(null, "", slug ? "#theme=" + encodeURIComponent(slug) : location.pathname + location.search);
    apply(slug);
  }

  links.forEach(function (link) {
    link.setAttribute("role", "button");
    link.addEventListener("click", function (event) {
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;  // a new tab: the theme's page
      event.preventDefault();
      var slug = link.getAttribute("data-theme");
      choose(link.getAttribute("aria-pressed") === "true" ? "" : slug);
    });
  });
  var match = /^#theme=([a-z0-9-]+)$/.exec(location.hash);
  apply(match && links.some(function (l) { return l.getAttribute("data-theme") === match[1]; }) ? match[1] : "");
});
