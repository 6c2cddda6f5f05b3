(function () {
  'use strict';

  function each(selector, action) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), action);
  }

  // Gallery: a card shows when it matches the true-class and outcome filters; a method's figures show when its box is ticked.
  var classFilter = document.getElementById('filter-class');
  var outcomeFilter = document.getElementById('filter-outcome');
  var count = document.getElementById('gallery-count');

  function applyFilters() {
    var trueClass = classFilter.value;
    var outcome = outcomeFilter.value;
    var shownMethods = {};
    each('.filter-method', function (box) { shownMethods[box.value] = box.checked; });
    var shown = 0;
    var total = 0;
    each('#gallery .card', function (card) {
      var visible = (trueClass === '' || card.dataset.trueClass === trueClass)
        && (outcome === '' || card.dataset.outcome === outcome);
      card.hidden = !visible;
      total += 1;
      shown += visible ? 1 : 0;
    });
    each('#gallery figure.method', function (figure) { figure.hidden = !shownMethods[figure.dataset.method]; });
    count.textContent = 'showing ' + shown + ' of ' + total + ' images';
  }

  function tickAll(checked) {
    each('.filter-method', function (box) { box.checked = checked; });
    applyFilters();
  }

  if (classFilter && outcomeFilter && count) {
    document.getElementById('gallery-filters').addEventListener('submit', function (event) { event.preventDefault(); });
    classFilter.addEventListener('change', applyFilters);
    outcomeFilter.addEventListener('change', applyFilters);
    each('.filter-method', function (box) { box.addEventListener('change', applyFilters); });
    document.getElementById('methods-all').addEventListener('click', function () { tickAll(true); });
    document.getElementById('methods-none').addEventListener('click', function () { tickAll(false); });
    applyFilters();
  }

  // A figure in the gallery opens its image's full-size figures; a click on the backdrop closes them.
  each('a.open-figures', function (link) {
    link.addEventListener('click', function (event) {
      var dialog = document.getElementById(link.dataset.dialog);
      if (dialog && typeof dialog.showModal === 'function') {
        event.preventDefault();
        dialog.showModal();
      }
    });
  });
  each('dialog', function (dialog) {
    dialog.addEventListener('click', function (event) {
      if (event.target === dialog) {
        dialog.close();
      }
    });
  });

  // Ranking table: a click on a metric sorts by it, better values first; a second click reverses.
  each('table.ranking', function (table) {
    var headers = table.querySelectorAll('thead th');
    Array.prototype.forEach.call(headers, function (header, column) {
      var button = header.querySelector('button.sort');
      if (!button) {
        return;
      }
      button.addEventListener('click', function () {
        var higherFirst = header.dataset.order !== 'lower';
        if (table.dataset.sortedBy === String(column)) {
          higherFirst = table.dataset.higherFirst !== 'true';
        }
        table.dataset.sortedBy = String(column);
        table.dataset.higherFirst = String(higherFirst);
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', higherFirst ? 'descending' : 'ascending');
        var caption = table.querySelector('caption strong');
        if (caption) {
          caption.textContent = button.textContent;
        }
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.sort;
          var y = b.cells[column].dataset.sort;
          if (x === '' || y === '') {
            return (x === '') - (y === '');
          }
          return higherFirst ? Number(y) - Number(x) : Number(x) - Number(y);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
}());
