// The "Copy" buttons (a paper's BibTeX, a feed's address) and "Download" buttons (a paper's
// BibTeX as a .bib file): hidden without JavaScript (the text stays selectable), shown and
// wired up here.  A link is copied as its absolute URL.
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
// The file is made here from the text shown, so the site keeps no copy of it per paper.
document.querySelectorAll("button[data-save]").forEach(function (button) {
  var source = document.getElementById(button.dataset.save);
  if (!source || !window.Blob || !window.URL) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([source.textContent], { type: "application/x-bibtex;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = button.dataset.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);  // once the download has begun
  });
});
