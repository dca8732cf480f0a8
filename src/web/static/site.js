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
  // fetch the page again and swap the live region and the forms. The page is fetched from its
  // own address (data-live-page), not this one's: after a refused form this is the POST's.
  var live = document.querySelector('[data-live]');
  if (!live || !window.fetch || !window.DOMParser) return;
  var announce = document.querySelector('[data-live-announce]');
  var version = live.getAttribute('data-live-version');
  var url = live.getAttribute('data-live');
  var pageUrl = live.getAttribute('data-live-page') || window.location.pathname;
  var busy = false;

  function isChoice(field) { return field.type === 'checkbox' || field.type === 'radio'; }
  function stateOf(field) { return isChoice(field) ? String(field.checked) : field.value; }
  function defaultStateOf(field) {
    if (isChoice(field)) return String(field.defaultChecked);
    if (field.tagName === 'SELECT') {
      for (var i = 0; i < field.options.length; i++) if (field.options[i].defaultSelected) return field.options[i].value;
      return field.options.length > 0 ? field.options[0].value : '';
    }
    return field.defaultValue;
  }

  // What the person has in the forms that the fresh page would not show: each field's value by
  // id. Null when a field they changed has no place on the fresh page: then the forms stay.
  function inputToKeep(actions, next) {
    var kept = [];
    var fields = actions.querySelectorAll('input:not([type="hidden"]), textarea, select');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      var twin = field.id ? next.getElementById(field.id) : null;
      if (!twin) {
        if (stateOf(field) !== defaultStateOf(field)) return null;
        continue;
      }
      if (stateOf(field) !== stateOf(twin)) kept.push({ id: field.id, choice: isChoice(field), value: field.value, checked: field.checked });
    }
    return kept;
  }

  function restore(kept) {
    kept.forEach(function (item) {
      var field = document.getElementById(item.id);
      if (!field) return;
      if (item.choice) field.checked = item.checked;
      else field.value = item.value;
    });
  }

  function swapActions(next) {
    var freshActions = next.querySelector('.action-grid');
    var actions = document.querySelector('.action-grid');
    // Someone typing keeps their caret and the form under it.
    if (actions && actions.contains(document.activeElement)) return;
    if (actions && freshActions) {
      var kept = inputToKeep(actions, next);
      if (kept === null) return;
      actions.innerHTML = freshActions.innerHTML;
      restore(kept);
    } else if (!actions && freshActions) {
      live.insertAdjacentElement('afterend', document.importNode(freshActions, true));
    } else if (actions && !freshActions && inputToKeep(actions, next) !== null) {
      actions.remove();
    }
  }

  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || state.version === version) return null;
        return fetch(pageUrl, { credentials: 'same-origin' })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (markup) {
            if (markup === null) return;
            var next = new DOMParser().parseFromString(markup, 'text/html');
            var fresh = next.querySelector('[data-live]');
            if (!fresh) return;
            live.innerHTML = fresh.innerHTML;
            version = fresh.getAttribute('data-live-version');
            live.setAttribute('data-live-version', version);
            swapActions(next);
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
