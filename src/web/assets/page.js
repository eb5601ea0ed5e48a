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
  // A changed cell's link shows its explanation under its table; without
  // this script the link opens the explanation as a page of its own.
  var box = document.getElementById("explanation");
  document.querySelectorAll("a.explain").forEach(function (link) {
    link.addEventListener("click", function (ev) {
      if (!box || !window.fetch || !window.DOMParser) { return; }
      ev.preventDefault();
      var under = link.closest(".grid-wrap") || link.closest("table");
      var after = under.nextElementSibling && under.nextElementSibling.classList.contains("show-more")
        ? under.nextElementSibling : under;
      after.parentNode.insertBefore(box, after.nextSibling);
      var pre = document.getElementById("explain");
      document.getElementById("explain-cell").textContent = link.textContent;
      pre.textContent = "…";
      pre.classList.remove("failed");
      box.hidden = false;
      fetch(link.href, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var found = doc.getElementById("explain");
          var error = doc.getElementById("error");
          var title = doc.querySelector("h1");
          if (found && title) { document.getElementById("explain-cell").textContent = title.textContent; }
          pre.textContent = found ? found.textContent : (error ? error.textContent : html);
          if (!found) { pre.classList.add("failed"); }
        })
        .catch(function (e) { pre.textContent = String(e); pre.classList.add("failed"); });
    });
  });
})();
