// One click is enough: disable the buttons once the form is on its way (the server also
// refuses a second submission, by the idempotency key).
document.querySelectorAll("form.app-form").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    var pressed = event.submitter;
    if (pressed && pressed.name) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.name = pressed.name; hidden.value = pressed.value;
      form.appendChild(hidden);
    }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
});
// Coming back with the browser's back button shows the page from cache: enable again.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.app-form button[type=submit]").forEach(function (b) {
    b.disabled = false;
  });
});
