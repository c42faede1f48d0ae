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
