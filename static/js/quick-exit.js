// Quick exit ("Exit this page" pattern). The button is a link to /exit/, where the server forgets
// the report being written and ends the session before it sends the browser to a neutral site;
// that works without JavaScript. Here the page is hidden at once and the portal's history entry
// is replaced (location.replace), so that Back does not return to it. Pressing Escape twice
// within a second does the same; its hint is shown only here, where the shortcut works.
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

  function showHint() {
    var hint = document.querySelector("[data-quick-exit-hint]");
    if (hint) {
      hint.hidden = false;
    }
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

  // A page restored from the back-forward cache after a quick exit shows nothing: reload it,
  // and the server (whose session has ended) answers with an empty page.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.classList.add("quick-exit--leaving");
      window.location.reload();
    }
  });

  showHint();
  // report.js replaces the page in place; the new page's hint is shown too.
  document.addEventListener("meldpunt:page", showHint);
})();
