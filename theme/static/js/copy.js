// The "Copy BibTeX" button: hidden without JavaScript (the entry stays selectable and
// downloadable), shown and wired up here.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var source = document.getElementById(button.dataset.copy);
  var status = button.parentNode.querySelector(".copy-status");
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.textContent).then(
      function () { status.textContent = "Copied."; },
      function () { status.textContent = "Could not copy: select the entry and copy it."; }
    );
  });
});
