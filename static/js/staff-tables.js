/* The staff console's lists on a phone: each row becomes a card, each cell labelled by its
 * column. This script copies the column headings onto the cells (data-label); the layout
 * itself is in css/staff.css and applies to the tables marked here. */
(function () {
  "use strict";
  var LISTS = "#result_list, table.gs-table, #worklist, table[data-cards]";

  function label(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) {
      return;
    }
    var names = Array.prototype.map.call(head.rows[0].cells, function (cell) {
      return (cell.textContent || "").replace(/\s+/g, " ").trim();
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          if (!cell.hasAttribute("data-label") && names[index] && cell.colSpan === 1) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
    });
    table.classList.add("gs-cards");
  }

  document.querySelectorAll(LISTS).forEach(label);
})();
