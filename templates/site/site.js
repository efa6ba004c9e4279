// The redline page: step through the changes with the buttons or the keys n and p.
// Every change (inserted or deleted text, a changed block) gets focus in turn, so a keyboard or a
// screen reader follows along. Without JavaScript the page still reads top to bottom.
(function () {
  "use strict";
  var changes = Array.prototype.filter.call(
    document.querySelectorAll("article ins, article del, article .stodocs-changed"),
    function (el) { return !el.parentElement.closest("ins, del, .stodocs-changed, .redline-legend"); });
  var position = document.querySelector(".change-position");
  var current = -1;
  function show(index) {
    if (!changes.length) { position.textContent = "Geen wijzigingen op deze pagina."; return; }
    current = (index + changes.length) % changes.length;
    var target = changes[current];
    target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView({block: "center"});
    position.textContent = "Wijziging " + (current + 1) + " van " + changes.length;
  }
  document.querySelectorAll("[data-change]").forEach(function (button) {
    button.addEventListener("click", function () {
      show(current + (button.getAttribute("data-change") === "next" ? 1 : -1));
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) { return; }
    if (event.key === "n") { show(current + 1); event.preventDefault(); }
    if (event.key === "p") { show(current - 1); event.preventDefault(); }
  });
  if (position) { position.textContent = changes.length + " wijzigingen"; }
})();
