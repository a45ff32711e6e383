// Quick exit ("Exit this page" pattern): leave for a neutral site at once. location.replace swaps
// the current history entry, so the back button does not return to this page. Pressing Escape
// twice within a second does the same. Without JavaScript the link is an ordinary link.
(function () {
  "use strict";

  var ESCAPE_WINDOW_MS = 1000;
  var lastEscape = 0;

  function exitLink() {
    return document.querySelector("[data-quick-exit]");
  }

  function leave(url) {
    // Hide the page at once, so nothing stays readable while the next site loads.
    document.documentElement.classList.add("quick-exit--leaving");
    window.location.replace(url);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link) {
      return;
    }
    event.preventDefault();
    leave(link.href);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var now = Date.now();
    var link = exitLink();
    if (link && now - lastEscape <= ESCAPE_WINDOW_MS) {
      leave(link.href);
      return;
    }
    lastEscape = now;
  });
})();
