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
