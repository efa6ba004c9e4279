// Search with Pagefind's index (pagefind/, made by `build.py site`). Pagefind loads its index with fetch,
// which browsers refuse for file:// pages: opened from disk, the page says so instead of failing silently.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = document.getElementById("zoekterm");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var pagefind = null;

  function load() {
    if (!pagefind) { pagefind = import("../pagefind/pagefind.js"); }
    return pagefind;
  }

  function relative(url) {
    // Pagefind gives URLs from the site's root ("/regio/regioplan.html"); this page lies in that root.
    return url.replace(/^\/+/, "");
  }

  async function search(term) {
    list.textContent = "";
    if (!term.trim()) { status.textContent = "Typ een woord of zin en kies Zoeken."; return; }
    if (location.protocol === "file:") {
      status.textContent = "Zoeken werkt alleen als de site via een webserver geopend is (ook een lokale, zie docs/site.md).";
      return;
    }
    status.textContent = "Bezig met zoeken…";
    var engine = await load();
    var found = await engine.search(term);
    var results = await Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    status.textContent = found.results.length === 0 ? "Niets gevonden voor “" + term + "”." :
      found.results.length + (found.results.length === 1 ? " document gevonden" : " documenten gevonden") +
      " voor “" + term + "”" + (found.results.length > 20 ? "; de eerste 20:" : ":");
    results.forEach(function (data) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = relative(data.url);
      link.textContent = (data.meta.title || data.url) + (data.meta.regio ? " · " + data.meta.regio : "");
      var excerpt = document.createElement("p");
      excerpt.innerHTML = data.excerpt;  // Pagefind's excerpt of our own pages, with <mark> around the hits
      item.appendChild(link);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value).catch(function () { status.textContent = "Zoeken lukt nu niet: de zoekindex ontbreekt."; });
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial).catch(function () { status.textContent = "Zoeken lukt nu niet: de zoekindex ontbreekt."; });
  }
})();
