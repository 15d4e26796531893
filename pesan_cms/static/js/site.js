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

  // Captcha: a new image without leaving the page (the button also works without JavaScript: it posts the
  // form back with everything typed and a fresh image).
  document.querySelectorAll("[data-captcha-refresh]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      var box = button.closest(".captcha");
      if (!box || !window.fetch) return;
      event.preventDefault();
      fetch(button.getAttribute("data-captcha-refresh"), { headers: { "X-Requested-With": "XMLHttpRequest" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var image = box.querySelector("img.captcha__image");
          var key = box.querySelector("input[type=hidden]");
          var answer = box.querySelector("input[type=text]");
          var audio = box.querySelector("a.captcha__audio");
          if (image) { image.src = data.image_url; image.removeAttribute("srcset"); }
          if (key) key.value = data.key;
          if (audio && data.audio_url) audio.href = data.audio_url;
          if (answer) { answer.value = ""; answer.focus(); }
          var status = box.querySelector(".captcha__status");
          if (status) status.textContent = status.getAttribute("data-message");
        });
    });
  });
});
