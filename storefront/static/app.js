// Progressive enhancement only: every page works without this file.
// The search box offers completions from /saran as the visitor types.
(function () {
  var box = document.getElementById("q");
  var list = document.getElementById("saran");
  if (!box || !list || !window.fetch) return;
  var timer, last = "";
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var prefix = box.value.trim();
    if (prefix.length < 2 || prefix === last) return;
    timer = setTimeout(function () {
      last = prefix;
      fetch("/saran?q=" + encodeURIComponent(prefix), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) {
          list.replaceChildren.apply(list, items.map(function (item) {
            var option = document.createElement("option");
            option.value = item.text;
            return option;
          }));
        })
        .catch(function () {});
    }, 150);
  });
})();

// Penjual: incoming orders arrive live (server-sent events relayed from the API).
(function () {
  var box = document.querySelector("[data-feed]");
  if (!box || !window.EventSource) return;
  var list = document.getElementById("langsung");
  var state = document.getElementById("langsung-status");
  box.hidden = false;
  var feed = new EventSource(box.getAttribute("data-feed"));
  feed.onopen = function () { state.textContent = "Terhubung: pesanan baru muncul di sini."; };
  feed.onmessage = function (message) {
    var event = JSON.parse(message.data);
    var item = document.createElement("li");
    var link = document.createElement("a");
    item.textContent = event.text + " ";
    link.textContent = "Lihat";
    link.href = "?baru=" + encodeURIComponent(event.number) + "#o-" + event.number;
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
  };
  feed.addEventListener("putus", function () {
    state.textContent = "Sambungan terputus; mencoba lagi…";
  });
})();

// Penjual: photo uploads show their progress; without this script the form posts as usual.
(function () {
  var forms = document.querySelectorAll("form[data-upload]");
  Array.prototype.forEach.call(forms, function (form) {
    var bar = form.querySelector("progress");
    form.addEventListener("submit", function (submit) {
      if (!window.FormData || !form.checkValidity()) return;
      submit.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      bar.hidden = false;
      request.upload.onprogress = function (progress) {
        if (progress.lengthComputable) bar.value = Math.round(100 * progress.loaded / progress.total);
      };
      request.onload = function () {
        var next = null;
        try { next = JSON.parse(request.responseText).location; } catch (error) { /* a page */ }
        if (next) window.location.assign(next);
        else form.submit();
      };
      request.onerror = function () { form.submit(); };
      form.querySelector("button").disabled = true;
      request.send(new FormData(form));
    });
  });
})();
