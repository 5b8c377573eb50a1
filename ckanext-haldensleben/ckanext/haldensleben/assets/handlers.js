/* SPDX-License-Identifier: EUPL-1.2 */
/* What CKAN's templates do in inline handlers (onclick=, onchange=, hx-on), which the
   Content-Security-Policy (script-src 'self', no 'unsafe-inline' or 'unsafe-eval') refuses,
   done from this file. The overriding templates carry data attributes instead:

   - data-hub-check, data-hub-clear, data-hub-click, data-hub-focus on a button: check the
     element with that id, empty it, click it, focus it, in this order (the resource form's
     Upload, Link, Remove and Clear Upload buttons);
   - the API token list: the revoke button is enabled while a token is checked, and disabled
     again after the revocation (a form with data-hub-revoke-tokens);
   - a form with data-hub-reveal="<id>": after htmx settled its answer, that row is scrolled
     into view (the token just created). */
(function () {
  "use strict";

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function revokeButton() {
    return byId("revoke-tokens-button");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(
      "[data-hub-check], [data-hub-clear], [data-hub-click], [data-hub-focus]"
    );
    if (!button) {
      return;
    }
    var check = byId(button.dataset.hubCheck);
    if (check) {
      check.checked = true;
    }
    var clear = byId(button.dataset.hubClear);
    if (clear) {
      clear.value = "";
      clear.dispatchEvent(new Event("change", { bubbles: true }));
    }
    var click = byId(button.dataset.hubClick);
    if (click) {
      click.click();
    }
    var focus = byId(button.dataset.hubFocus);
    if (focus) {
      focus.focus();
    }
  });

  document.addEventListener("change", function (event) {
    var button = revokeButton();
    if (button && event.target.matches('input[name="token"]')) {
      button.disabled = !document.querySelector('input[name="token"]:checked');
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var button = revokeButton();
    if (button && event.target.matches("[data-hub-revoke-tokens]")) {
      button.disabled = true;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var form = event.target.closest ? event.target.closest("[data-hub-reveal]") : null;
    var row = form ? byId(form.dataset.hubReveal) : null;
    if (row) {
      row.scrollIntoView(false);
    }
  });
})();
