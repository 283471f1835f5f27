/* Optional: drag options into order; the preference numbers are renumbered to match. */
(function () {
  var list = document.getElementById('ranking');
  if (!list || !('draggable' in list)) { return; }
  var dragged = null;
  list.addEventListener('dragstart', function (event) { dragged = event.target.closest('li'); });
  list.addEventListener('dragover', function (event) { event.preventDefault(); });
  list.addEventListener('drop', function (event) {
    event.preventDefault();
    var target = event.target.closest('li');
    if (!dragged || !target || target === dragged) { return; }
    var below = target.compareDocumentPosition(dragged) & Node.DOCUMENT_POSITION_PRECEDING;
    list.insertBefore(dragged, below ? target.nextSibling : target);
    list.querySelectorAll('input[type=number]').forEach(function (input, index) { input.value = index + 1; });
  });
})();
