// Page behaviours declared with data attributes, so templates need no inline handlers (the
// content security policy allows scripts from this site only):
//   data-autosubmit  on a form field: submit its form when the value changes
//   data-print       on a button: open the print dialog
// and one for every form that posts: it is sent once (see below).
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) field.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  // A second tap while a slow network still sends the first would post the form twice (a
  // contact or a review recorded twice): repeats are dropped until the page is left, or for
  // 10 s where it is not (a download). Forms htmx sends and forms opening a tab are left be.
  var SENDING = "data-sending";
  var GREYED = "data-greyed";
  function release(form, button) {
    if (form) form.removeAttribute(SENDING);
    if (button) {
      button.classList.remove("disabled");
      button.removeAttribute(GREYED);
    }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // the attributes, not form.method / form.target: a field named "target" (对应目标 of an
    // evidence upload) stands in for the property
    var method = (form.getAttribute("method") || "").toLowerCase();
    if (event.defaultPrevented || method !== "post" || form.getAttribute("target")) return;
    if (form.hasAttribute(SENDING)) {
      event.preventDefault();
      return;
    }
    form.setAttribute(SENDING, "");
    // the look of a disabled button only: a disabled one would drop its name from the post
    var button = event.submitter;
    if (button) {
      button.classList.add("disabled");
      button.setAttribute(GREYED, "");
    }
    setTimeout(function () { release(form, button); }, 10000);
  });
  // back to a page kept in the browser's cache: its forms may be sent again
  window.addEventListener("pageshow", function () {
    var sending = document.querySelectorAll("form[" + SENDING + "]");
    for (var i = 0; i < sending.length; i++) release(sending[i], null);
    var greyed = document.querySelectorAll("[" + GREYED + "]");
    for (var j = 0; j < greyed.length; j++) release(null, greyed[j]);
  });
})();
