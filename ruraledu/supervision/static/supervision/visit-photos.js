// Photos taken on the phone go through a queue kept in this browser (IndexedDB): a photo taken
// while the connection is down waits there and is uploaded when the network is back (on the
// "online" event, on the next page load, and every 30 seconds). The page shows how many wait.
// Each photo carries a client key, so one sent twice is stored once by the server.
(function () {
  "use strict";
  var form = document.getElementById("photo-form");
  var counter = document.getElementById("photo-queue");
  if (!form || !window.indexedDB || !window.fetch || !window.FormData) { return; }
  var DB = "supervision-offline", STORE = "photos";
  var flushing = false;

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "client_key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && result.result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function show() {
    return run("readonly", function (store) { return store.count(); }).then(function (n) {
      counter.hidden = !n;
      counter.textContent = n ? "有 " + n + " 张照片待上传，联网后自动上传，请勿清除浏览器数据。" : "";
      return n;
    });
  }
  function token() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function send(entry) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token() || entry.csrf);
    data.append("client_key", entry.client_key);
    data.append("caption", entry.caption);
    data.append("photo", entry.blob, entry.name);
    return fetch(entry.url, { method: "POST", body: data, credentials: "same-origin" }).then(function (response) {
      // signed out meanwhile: keep the photo until the user signs in again
      if (response.redirected && response.url.indexOf("/accounts/login/") !== -1) { return false; }
      if (response.status >= 500) { return false; }
      return true; // saved, or refused with a reason the page shows after reloading
    });
  }
  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(0); }
    flushing = true;
    var sent = 0;
    return run("readonly", function (store) { return store.getAll(); }).then(function (entries) {
      return entries.reduce(function (chain, entry) {
        return chain.then(function () {
          return send(entry).then(function (done) {
            if (!done) { return; }
            sent += 1;
            return run("readwrite", function (store) { return store.delete(entry.client_key); });
          });
        });
      }, Promise.resolve());
    }).catch(function () { /* offline again: try later */ }).then(function () {
      flushing = false;
      return show().then(function () {
        if (sent) { window.location.reload(); }
        return sent;
      });
    });
  }

  form.addEventListener("submit", function (event) {
    var file = form.querySelector("input[type=file]").files[0];
    if (!file) { return; } // the server explains that a photo is needed
    event.preventDefault();
    var entry = {
      client_key: [file.name, file.size, file.lastModified, Date.now()].join("-").slice(0, 64),
      url: form.action,
      csrf: token(),
      caption: form.caption.value,
      name: file.name,
      blob: file
    };
    run("readwrite", function (store) { return store.put(entry); }).then(function () {
      form.reset();
      return show();
    }).then(flush);
  });
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  show().then(flush);
})();
