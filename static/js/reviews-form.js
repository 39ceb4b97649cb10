/* The rating form: the bad-review reasons show only when a bad level is picked. */
(function () {
  var box = document.getElementById("rv-tags");
  if (!box) return;
  var bad = box.getAttribute("data-bad-levels").split(",");
  function update() {
    var picked = document.querySelector('input[name="level"]:checked');
    box.hidden = !(picked && bad.indexOf(picked.value) >= 0);
  }
  document.querySelectorAll('input[name="level"]').forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
