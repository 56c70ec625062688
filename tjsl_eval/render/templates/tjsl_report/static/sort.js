/* Sorts a table.tjsl-sortable by the column whose heading is clicked (again: the other way).
   A cell's data-sort attribute, or else its text, is its key: numbers sort as numbers (Rupiah,
   percentages and Indonesian or English separators too), text in the page's language, and
   empty cells last. Each heading becomes a button, so the keyboard sorts too; aria-sort says
   which column sorts the rows and how. No server and nothing from the network. */
(function () {
  var language = document.documentElement.lang || undefined;
  function number(text) {
    var digits = text.replace(/Rp|%|\s/g, '').replace('\u2212', '-');
    digits = language === 'id' ? digits.replace(/\./g, '').replace(',', '.') : digits.replace(/,/g, '');
    return /^[-+]?\d+(\.\d+)?$/.test(digits) ? parseFloat(digits) : NaN;
  }
  function key(cell) {
    var sorted = cell.getAttribute('data-sort');
    var text = sorted === null ? cell.textContent.trim() : sorted;
    var value = sorted === null ? number(text) : (text === '' ? NaN : Number(text));
    return {empty: text === '' || text === '\u2013', value: value, text: text};
  }
  function compare(a, b) {
    if (!isNaN(a.value) && !isNaN(b.value)) return a.value - b.value;
    return a.text.localeCompare(b.text, language, {numeric: true, sensitivity: 'base'});
  }
  document.querySelectorAll('table.tjsl-sortable').forEach(function (table) {
    var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headings.forEach(function (heading, column) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'tjsl-sort';
      while (heading.firstChild) button.appendChild(heading.firstChild);
      heading.appendChild(button);
      button.addEventListener('click', function () {
        var ascending = heading.getAttribute('aria-sort') !== 'ascending';
        var body = table.tBodies[0];
        var rows = Array.prototype.map.call(body.rows, function (row) {
          return {row: row, key: key(row.cells[column])};
        });
        rows.sort(function (a, b) {
          if (a.key.empty || b.key.empty) return a.key.empty - b.key.empty;
          return ascending ? compare(a.key, b.key) : compare(b.key, a.key);
        });
        headings.forEach(function (other) { other.removeAttribute('aria-sort'); });
        heading.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        rows.forEach(function (item) { body.appendChild(item.row); });
      });
    });
  });
})();
