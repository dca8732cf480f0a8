/* Progressive enhancement only: every page works without this file. */
(function () {
  'use strict';

  // Move focus to the error summary so screen-reader and keyboard users land on it.
  var summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();

  // Links in the error summary focus their field (not just scroll to it).
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('.error-summary a[href^="#"]');
    if (!link) return;
    var field = document.getElementById(link.getAttribute('href').slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: 'center' });
    }
  });

  // A booking's page follows changes: poll a small JSON read, and when the version changes,
  // fetch the page again and swap the live region (unless the person is typing in it).
  var live = document.querySelector('[data-live]');
  if (!live || !window.fetch || !window.DOMParser) return;
  var announce = document.querySelector('[data-live-announce]');
  var version = live.getAttribute('data-live-version');
  var url = live.getAttribute('data-live');
  var busy = false;

  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || state.version === version) return null;
        return fetch(window.location.pathname, { credentials: 'same-origin' })
          .then(function (response) { return response.text(); })
          .then(function (markup) {
            var next = new DOMParser().parseFromString(markup, 'text/html');
            var fresh = next.querySelector('[data-live]');
            if (!fresh) return;
            live.innerHTML = fresh.innerHTML;
            version = fresh.getAttribute('data-live-version');
            live.setAttribute('data-live-version', version);
            var freshActions = next.querySelector('.action-grid');
            var actions = document.querySelector('.action-grid');
            var typing = actions && actions.contains(document.activeElement);
            if (actions && freshActions && !typing) actions.innerHTML = freshActions.innerHTML;
            else if (!actions && freshActions) live.insertAdjacentElement('afterend', freshActions);
            else if (actions && !freshActions && !typing) actions.remove();
            var status = live.querySelector('.status');
            if (announce && status) announce.textContent = status.textContent;
          });
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () { busy = false; });
  }
  window.setInterval(refresh, 3000);
  document.addEventListener('visibilitychange', refresh);
})();
