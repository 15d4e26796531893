/* PESAN reference site: small progressive enhancements. Served from static (no inline script, no CDN);
   every page works without it. */
document.documentElement.classList.replace("no-js", "js");

document.addEventListener("DOMContentLoaded", function () {
  // Phone menu: the toggle button opens and closes the navigation.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("is-open", !open);
    });
  }

  // One-click link of the receipt e-mail: /layanan/cek-status/?nomor=…#token=… — the token travels in the URL
  // fragment, which browsers never send to the server (no access log holds it); it is put into the form,
  // removed from the address bar, and the form is sent as if the citizen had typed it.
  var lookup = document.querySelector("form[data-status-lookup]");
  var fragment = window.location.hash.match(/[#&]token=([^&]+)/);
  if (lookup && fragment) {
    var number = lookup.querySelector("[name=tracking_number]");
    var token = lookup.querySelector("[name=token]");
    history.replaceState(null, "", window.location.pathname + window.location.search);
    if (number && token && number.value) {
      token.value = decodeURIComponent(fragment[1]);
      lookup.submit();
    }
  }

  // A form came back with errors: move focus to the summary so keyboard and screen-reader users land on it.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // "Print this page" buttons.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Anti-robot check (layanan.site.challenge): an ALTCHA proof of work, solved by our own Web Worker
  // (js/pow-worker.js, crypto.subtle SHA-256) while the citizen fills in the form — nothing to see, hear or type.
  // It starts at the first focus or keystroke in the form (at once on a form shown again with errors); "Submit"
  // pressed earlier waits for it, then sends the form. The status line is the check's one polite live region:
  // "checking…", then "done". A challenge about to expire is first replaced from the same-origin address in
  // data-challenge-refresh (the WBS form's is under /wbs/).
  document.querySelectorAll("[data-challenge]").forEach(function (box) {
    var form = box.closest("form");
    var input = box.querySelector("input[type=hidden]");
    var status = box.querySelector("[data-challenge-status]");
    if (!form || !input || !status) return;
    var challenge = null;
    try { challenge = JSON.parse(box.getAttribute("data-challenge")); } catch (error) { challenge = null; }
    var state = "idle";
    var pending = null;
    var waiting = false;

    function show(next, message) {
      state = next;
      box.setAttribute("data-state", next);
      var text = box.getAttribute("data-msg-" + (message || next)) || "";
      if (status.textContent !== text) status.textContent = text;
    }
    function expiresSoon(c) {
      var match = c && /[?&]expires=(\d+)/.exec(c.salt || "");
      return !match || Number(match[1]) * 1000 - Date.now() < 60000;
    }
    function current() {
      if (!expiresSoon(challenge)) return Promise.resolve(challenge);
      return fetch(box.getAttribute("data-challenge-refresh"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.json();
        })
        .then(function (data) { challenge = data; return data; });
    }
    function solve(c) {
      return new Promise(function (resolve, reject) {
        var worker = new Worker(box.getAttribute("data-challenge-worker"));
        worker.onmessage = function (event) {
          worker.terminate();
          if (typeof event.data.number === "number") resolve(event.data.number);
          else reject(new Error(event.data.error));
        };
        worker.onerror = function (event) { worker.terminate(); reject(event); };
        worker.postMessage(c);
      });
    }
    function start() {
      if (state === "working" || state === "done") return pending;
      input.value = "";
      show("working");
      pending = current()
        .then(function (c) {
          return solve(c).then(function (number) {
            input.value = btoa(JSON.stringify({
              algorithm: c.algorithm, challenge: c.challenge, number: number, salt: c.salt, signature: c.signature,
            }));
            show("done");
          });
        })
        .catch(function () { input.value = ""; show("failed"); });
      return pending;
    }

    form.addEventListener("focusin", start);
    form.addEventListener("input", start);
    if (document.getElementById("error-summary")) start();
    form.addEventListener("submit", function (event) {
      if (state === "done" && !expiresSoon(challenge)) return; // solved: send
      if (state === "failed") return; // the server answers with what is missing, everything typed kept
      event.preventDefault();
      if (state === "done") state = "idle"; // solved long ago: the challenge expires, solve a fresh one
      var submitter = event.submitter || null;
      start();
      show("working", "waiting");
      if (waiting) return;
      waiting = true;
      pending.then(function () {
        waiting = false;
        if (state !== "done") return;
        if (form.requestSubmit) form.requestSubmit(submitter);
        else form.submit();
      });
    });
    // Back to this page from the browser's memory after sending: that solution is used up.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && state === "done") { challenge = null; input.value = ""; show("idle"); }
    });
  });
});
