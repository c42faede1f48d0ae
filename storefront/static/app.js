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

// Live feeds (penjual: incoming orders; anggota: the cooperative's movements), relayed from
// the API as server-sent events. A member's own movement also updates their balances.
(function () {
  var box = document.querySelector("[data-feed]");
  if (!box || !window.EventSource) return;
  var list = document.getElementById("langsung");
  var state = document.getElementById("langsung-status");
  var rupiah = new Intl.NumberFormat("id-ID");
  box.hidden = false;
  var feed = new EventSource(box.getAttribute("data-feed"));
  feed.onopen = function () { state.textContent = "Terhubung: transaksi baru muncul di sini."; };
  feed.onmessage = function (message) {
    var event = JSON.parse(message.data);
    var item = document.createElement("li");
    item.textContent = event.text + " ";
    if (event.number) {
      var link = document.createElement("a");
      link.textContent = "Lihat";
      link.href = "?baru=" + encodeURIComponent(event.number) + "#o-" + event.number;
      item.appendChild(link);
    }
    list.insertBefore(item, list.firstChild);
    if (event.balanceText) showBalance(event.account, event.balance, event.balanceText);
  };
  feed.addEventListener("putus", function () {
    state.textContent = "Sambungan terputus; mencoba lagi…";
  });

  function showBalance(account, amount, text) {
    var cell = document.querySelector('[data-account="' + account + '"]');
    var total = document.getElementById("total-simpanan");
    if (!cell) return;
    cell.setAttribute("data-amount", amount);
    cell.textContent = text;
    if (!total) return;
    var sum = 0;
    Array.prototype.forEach.call(document.querySelectorAll("[data-account]"), function (each) {
      sum += Number(each.getAttribute("data-amount"));
    });
    total.textContent = "Rp" + rupiah.format(sum);
  }
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

// Checkout: each shop's shipping options, voucher discount and the totals follow the kelurahan,
// the choices and the voucher codes, priced again by the API's quote (without this file,
// "Hitung ongkir" does the same). The codes typed go along, so a re-pricing keeps them.
(function () {
  var form = document.querySelector("form[data-quote]");
  var box = document.getElementById("pengiriman");
  if (!form || !box || !window.fetch || !window.URLSearchParams) return;
  var asked = 0;
  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    var place = name === "kelurahanCode";
    var code = name.indexOf("voucher-") === 0;
    if (!place && !code && name.indexOf("ship-") !== 0) return;
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      // Another kelurahan: every shop's choice starts again from its default.
      var kept = key === "kelurahanCode" || key.indexOf("voucher-") === 0;
      if (kept || (!place && key.indexOf("ship-") === 0)) {
        params.append(key, value);
      }
    });
    var mine = ++asked;
    box.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-quote") + "?" + params.toString(), {
      headers: { Accept: "text/html" },
      credentials: "same-origin"
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (mine !== asked) return;
        box.removeAttribute("aria-busy");
        if (html !== null) box.innerHTML = html;
      })
      .catch(function () { box.removeAttribute("aria-busy"); });
  });
})();
