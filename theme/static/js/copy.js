// The "Copy" buttons (a paper's BibTeX, a feed's address): hidden without JavaScript (the
// text stays selectable), shown and wired up here.  A link is copied as its absolute URL.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  var status = button.parentNode.querySelector(".copy-status");
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.href || source.textContent).then(
      function () { status.textContent = "Copied."; },
      function () { status.textContent = "Could not copy: select the text and copy it."; }
    );
  });
});
