// The drop zone: a file dropped on it goes into the workbook input, so
// the form sends it as if it had been chosen.
(function () {
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("workbook");
  if (zone && input) {
    ["dragenter", "dragover"].forEach(function (e) {
      zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (e) {
      zone.addEventListener(e, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) {
        input.files = ev.dataTransfer.files;
      }
    });
  }
  // "Show more" under a long change table shows its next rows.
  document.querySelectorAll("button.show-more").forEach(function (button) {
    button.addEventListener("click", function () {
      var table = button.previousElementSibling;
      var page = parseInt(button.getAttribute("data-page"), 10) || 25;
      var hidden = table.querySelectorAll("tbody tr[hidden]");
      for (var i = 0; i < hidden.length && i < page; i++) { hidden[i].hidden = false; }
      if (hidden.length <= page) { button.remove(); }
    });
  });
})();
