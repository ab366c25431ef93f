/* Exchange the key in the URL fragment (#sleutel=...) for a short-lived cookie: fill the
   form, remove the key from the address bar and history, submit once. */
(function () {
  "use strict";
  var match = /(?:^#|&)sleutel=([^&]+)/.exec(window.location.hash || "");
  var form = document.getElementById("open-copy");
  if (!match || !form) return;
  var key = decodeURIComponent(match[1]);
  history.replaceState(null, "", window.location.pathname);
  document.getElementById("key").value = key;
  document.getElementById("opening").hidden = false;
  form.hidden = true;
  form.submit();
})();
