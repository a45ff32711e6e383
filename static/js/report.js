// Progressive enhancement of the public report form and the follow-up page. Everything works
// without this file.
//
// One history entry for a whole report: the browser adds an entry for every form it submits,
// so a report of eleven steps would leave eleven entries behind for whoever looks at the device.
// Forms and links marked data-in-place are sent in the background instead, and the page is
// replaced in place (with history.replaceState where its address changes). The server answers
// exactly as it does without JavaScript.
(function () {
  "use strict";

  // Contact fields only matter when the reporter wants to be contacted. Hidden fields are also
  // disabled, so that nothing typed in them is sent with an anonymous report.
  function enhanceContact(root) {
    var choices = root.querySelectorAll('input[name="contact"]');
    var details = root.querySelector(".contact-details");
    if (!choices.length || !details) {
      return;
    }
    function update() {
      var chosen = root.querySelector('input[name="contact"]:checked');
      var wanted = chosen !== null && chosen.value === "contact";
      details.hidden = !wanted;
      details.disabled = !wanted;
    }
    choices.forEach(function (choice) {
      choice.addEventListener("change", update);
    });
    update();
  }

  // Typing a municipality means the place is in the Netherlands.
  function enhanceMunicipality(root) {
    var municipality = root.querySelector('input[name="municipality"]');
    var inTheNetherlands = root.querySelector('input[name="place"][value="municipality"]');
    if (municipality && inTheNetherlands) {
      municipality.addEventListener("input", function () {
        if (municipality.value.trim()) {
          inTheNetherlands.checked = true;
        }
      });
    }
  }

  // The receipt page's Print button needs a script; without one it stays hidden (the code can
  // still be saved as a file, or printed from the browser's menu).
  function enhancePrint(root) {
    root.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  function enhance(root) {
    enhancePrint(root);
    enhanceContact(root);
    enhanceMunicipality(root);
  }

  // Put the server's answer in place of the page: body, title, language and direction.
  function replacePage(html, url) {
    var next = new DOMParser().parseFromString(html, "text/html");
    if (!next.body || !next.querySelector("main")) {
      return false;
    }
    document.title = next.title;
    ["lang", "dir"].forEach(function (name) {
      var value = next.documentElement.getAttribute(name);
      if (value) {
        document.documentElement.setAttribute(name, value);
      }
    });
    document.body.replaceWith(document.adoptNode(next.body));
    if (url && url !== window.location.href) {
      window.history.replaceState(null, "", url);
    }
    enhance(document.body);
    window.scrollTo(0, 0);
    // Screen readers start at the error, or else at the new heading.
    var target = document.querySelector("main [role=alert], main h1");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
    document.dispatchEvent(new CustomEvent("meldpunt:page"));
    return true;
  }

  function fetchInPlace(url, options, fallback) {
    options.credentials = "same-origin";
    window
      .fetch(url, options)
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) {
          throw new Error("not a page");
        }
        return response.text().then(function (html) {
          if (!replacePage(html, response.url)) {
            throw new Error("not a page of the portal");
          }
        });
      })
      .catch(fallback);
  }

  var busy = false;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches("form[data-in-place]") || busy) {
      if (busy) {
        event.preventDefault();
      }
      return;
    }
    event.preventDefault();
    busy = true;
    var submitter = event.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    // Not form.action: the form's buttons are named "action", and the name shadows the property.
    var target = new URL(form.getAttribute("action") || "", window.location.href).href;
    fetchInPlace(target, { method: "POST", body: data }, function () {
      // Something in between went wrong: send the form the ordinary way.
      busy = false;
      form.removeAttribute("data-in-place");
      if (submitter && submitter.name) {
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      form.submit();
    });
    document.addEventListener(
      "meldpunt:page",
      function () {
        busy = false;
      },
      { once: true }
    );
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-in-place]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey) {
      return;
    }
    event.preventDefault();
    fetchInPlace(link.href, { method: "GET" }, function () {
      window.location.replace(link.href);
    });
  });

  enhance(document);
})();
