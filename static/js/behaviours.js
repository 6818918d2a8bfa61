// Page behaviours declared with data attributes, so templates need no inline handlers (the
// content security policy allows scripts from this site only):
//   data-autosubmit  on a form field: submit its form when the value changes
//   data-print       on a button: open the print dialog
(function () {
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) field.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
})();
