// Keeps the visit form's unsaved entries in this browser (localStorage) so a dropped
// connection loses nothing: restored on the next load, dropped once the server saved them.
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form || !window.localStorage) { return; }
  var key = "supervision-draft-" + form.dataset.draftKey;
  var status = document.getElementById("draft-status");
  function fields() { return form.querySelectorAll("select[name], input[name]:not([type=hidden]), textarea[name]"); }
  function save() {
    var data = {};
    fields().forEach(function (el) { data[el.name] = el.value; });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { return; }
    if (status) { status.textContent = "草稿已保存在本机（" + new Date().toLocaleTimeString() + "）"; }
  }
  // drafts of this visit at an older version were saved by the server since: drop them
  var prefix = key.replace(/-v\d+$/, "-v");
  for (var i = localStorage.length - 1; i >= 0; i--) {
    var other = localStorage.key(i);
    if (other && other.indexOf(prefix) === 0 && other !== key) { localStorage.removeItem(other); }
  }
  var saved = localStorage.getItem(key);
  if (saved) {
    try {
      var data = JSON.parse(saved);
      fields().forEach(function (el) { if (el.name in data) { el.value = data[el.name]; } });
      if (status) { status.textContent = "已恢复本机保存的草稿，请核对后点“保存”。"; }
    } catch (e) { localStorage.removeItem(key); }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      save();
      if (status) { status.textContent = "网络已断开：草稿已保存在本机，联网后再点“保存”。"; }
      return;
    }
    // kept until the server saved it (the next page has a new version in its key): a save
    // refused (someone else changed the visit meanwhile) still finds the draft here
    save();
  });
  // photos: a key per chosen file, so a photo re-sent after a dropped connection is stored once
  var photoForm = document.getElementById("photo-form");
  if (photoForm) {
    photoForm.addEventListener("submit", function () {
      var file = photoForm.querySelector("input[type=file]").files[0];
      if (file) { photoForm.client_key.value = [file.name, file.size, file.lastModified].join("-").slice(0, 64); }
    });
  }
})();
